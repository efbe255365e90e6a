import sharp from 'sharp';

/**
 * Writes uint8 NHWC images as one PNG grid (`columns` per row), each image scaled up by `scale`
 * with nearest-neighbour so small samples stay crisp. pixels: [B, H, W, 3] values 0..255
 */
export async function writeGrid(path: string, pixels: ArrayLike<number>, shape: number[], columns: number, scale = 3, gap = 2): Promise<void> {
  const [count, height, width] = shape;
  const rows = Math.ceil(count / columns);
  const cellW = width * scale + gap;
  const cellH = height * scale + gap;
  const W = columns * cellW + gap;
  const H = rows * cellH + gap;
  const out = new Uint8Array(W * H * 3).fill(255);
  for (let n = 0; n < count; n++) {
    const ox = gap + (n % columns) * cellW;
    const oy = gap + Math.floor(n / columns) * cellH;
    for (let y = 0; y < height * scale; y++) {
      for (let x = 0; x < width * scale; x++) {
        const src = ((n * height + Math.floor(y / scale)) * width + Math.floor(x / scale)) * 3;
        const dst = ((oy + y) * W + ox + x) * 3;
        out[dst] = pixels[src];
        out[dst + 1] = pixels[src + 1];
        out[dst + 2] = pixels[src + 2];
      }
    }
  }
  await sharp(Buffer.from(out.buffer), { raw: { width: W, height: H, channels: 3 } }).png().toFile(path);
}
