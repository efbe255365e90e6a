// @pixelrepa/metrics/node — finding the FID Inception weights in the shared cache or downloading them.
export { loadFidInceptionV3Cached, type LoadCachedInceptionOptions } from './node/load-cached.js';
