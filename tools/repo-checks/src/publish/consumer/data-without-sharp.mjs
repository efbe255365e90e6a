// A user's script in a project without sharp: the browser-safe entry of @pixelrepa/data loads,
// its Node entry loads too, and decoding says which package to install. Prints JSON.
import * as data from '@pixelrepa/data';
import { decodeImage } from '@pixelrepa/data/node';

const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
let decodeError;
try {
  await decodeImage(png, 'tiny.png');
} catch (error) {
  decodeError = error.message;
}
console.log(JSON.stringify({ browserExports: Object.keys(data).length, decodeError }));
