// A user's script: FID between two small image sets with the FID Inception network (randomly
// initialised here: the test checks the installed pipeline runs, not the official numbers),
// on the wasm backend. Prints what the test checks as JSON.
import { initBackend, tf } from '@pixelrepa/tensor';
import { FidInceptionV3, computeMetrics, computeReferenceStatistics } from '@pixelrepa/metrics';

await initBackend('wasm');
const extractor = new FidInceptionV3();
const count = 2;
const size = 32;
/** One batch of `count` uint8 images [count, size, size, 3]: grey `level` plus seeded noise of amplitude `spread`. */
function batch(level, spread, seed) {
  const images = new Uint8Array(count * size * size * 3);
  let state = seed;
  for (let i = 0; i < images.length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    images[i] = Math.max(0, Math.min(255, Math.round(level + spread * ((2 * state) / 2 ** 32 - 1))));
  }
  return [{ images, shape: [count, size, size, 3] }];
}

const reference = await computeReferenceStatistics({ images: batch(100, 60, 1), extractor });
const same = await computeMetrics({ images: batch(100, 60, 1), reference, metrics: ['fid'], extractor });
const other = await computeMetrics({ images: batch(200, 20, 11), reference, metrics: ['fid'], extractor });
console.log(JSON.stringify({ backend: tf.getBackend(), count: other.count, fidSame: same.fid, fidOther: other.fid }));
