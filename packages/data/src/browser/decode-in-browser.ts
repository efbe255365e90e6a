import type { RgbImage } from '../image.js';

/**
 * Decodes an image `Blob` (or the image at a URL) in a browser or web worker with
 * `createImageBitmap` and an `OffscreenCanvas`, dropping alpha as PIL's `convert('RGB')` does.
 * Browsers decode with their own libraries, so pixels can differ slightly from sharp or PIL;
 * canvases store premultiplied alpha, so fully transparent pixels come out black.
 *
 * → [H, W, 3]
 */
export async function decodeImageInBrowser(source: Blob | string): Promise<RgbImage> {
  const blob = typeof source === 'string' ? await fetchBlob(source) : source;
  const bitmap = await createImageBitmap(blob, { premultiplyAlpha: 'none', colorSpaceConversion: 'none' });
  try {
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('decodeImageInBrowser: OffscreenCanvas has no 2d context in this environment');
    context.drawImage(bitmap, 0, 0);
    const rgba = context.getImageData(0, 0, bitmap.width, bitmap.height).data;
    const count = bitmap.width * bitmap.height;
    const data = new Uint8Array(count * 3);
    for (let i = 0; i < count; i++) {
      data[3 * i] = rgba[4 * i];
      data[3 * i + 1] = rgba[4 * i + 1];
      data[3 * i + 2] = rgba[4 * i + 2];
    }
    return { width: bitmap.width, height: bitmap.height, data };
  } finally {
    bitmap.close();
  }
}

async function fetchBlob(url: string): Promise<Blob> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status} ${response.statusText}`);
  return response.blob();
}
