import type { GridImages } from '../grid.js';

/** Draws the grid (one row per class) at one canvas pixel per image pixel; CSS scales it up. */
export function drawGrid(canvas: HTMLCanvasElement, { pixels, rows, cols, size }: GridImages, displaySize = 96): void {
  canvas.width = cols * size;
  canvas.height = rows * size;
  canvas.style.width = `${cols * Math.max(displaySize, size)}px`;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('this browser gives no 2-D canvas context');
  const image = context.createImageData(canvas.width, canvas.height);
  for (let index = 0; index < rows * cols; index++) {
    const left = (index % cols) * size;
    const top = Math.floor(index / cols) * size;
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const from = ((index * size + y) * size + x) * 3;
        const to = ((top + y) * canvas.width + left + x) * 4;
        image.data[to] = pixels[from];
        image.data[to + 1] = pixels[from + 1];
        image.data[to + 2] = pixels[from + 2];
        image.data[to + 3] = 255;
      }
    }
  }
  context.putImageData(image, 0, 0);
}
