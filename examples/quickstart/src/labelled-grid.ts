import sharp from 'sharp';

export interface GridPanel {
  /** Heading above the panel. */
  title: string;
  /** [rows · columns, S, S, 3] uint8, row-major: row r holds images r·columns … r·columns + columns − 1. */
  pixels: Uint8Array;
}

export interface LabelledGridOptions {
  /** One label per row, written left of the first panel (class names). */
  rowLabels: readonly string[];
  columns: number;
  /** Side S of each image. */
  imageSize: number;
  /** Enlargement (nearest neighbour). Default 3. */
  scale?: number;
  /** A line under the panels. */
  footer?: string;
}

const gap = 2;
const labelWidth = 120;
const panelGap = 24;
const headerHeight = 30;
const footerHeight = 26;

/**
 * Panels of images side by side, one row per class with the class name on the left: the
 * quickstart puts its samples beside real training images of the same classes.
 */
export async function writeLabelledGrid(path: string, panels: readonly GridPanel[], options: LabelledGridOptions): Promise<void> {
  const { rowLabels, columns, imageSize, scale = 3, footer } = options;
  const rows = rowLabels.length;
  const cell = imageSize * scale + gap;
  const panelWidth = columns * cell + gap;
  const width = labelWidth + panels.length * panelWidth + (panels.length - 1) * panelGap;
  const height = headerHeight + rows * cell + gap + (footer ? footerHeight : 0);
  const canvas = new Uint8Array(width * height * 3).fill(255);
  panels.forEach((panel, p) => {
    const expected = rows * columns * imageSize * imageSize * 3;
    if (panel.pixels.length !== expected)
      throw new Error(
        `writeLabelledGrid: panel "${panel.title}" has ${panel.pixels.length} bytes, expected ${rows}×${columns} images of ${imageSize}×${imageSize}×3 (${expected})`,
      );
    const panelLeft = labelWidth + p * (panelWidth + panelGap);
    for (let n = 0; n < rows * columns; n++) {
      const left = panelLeft + gap + (n % columns) * cell;
      const top = headerHeight + gap + Math.floor(n / columns) * cell;
      for (let y = 0; y < imageSize * scale; y++) {
        for (let x = 0; x < imageSize * scale; x++) {
          const from = ((n * imageSize + Math.floor(y / scale)) * imageSize + Math.floor(x / scale)) * 3;
          const to = ((top + y) * width + left + x) * 3;
          canvas[to] = panel.pixels[from];
          canvas[to + 1] = panel.pixels[from + 1];
          canvas[to + 2] = panel.pixels[from + 2];
        }
      }
    }
  });
  const text: string[] = [];
  const font = 'font-family="DejaVu Sans, sans-serif"';
  panels.forEach((panel, p) => {
    const centre = labelWidth + p * (panelWidth + panelGap) + panelWidth / 2;
    text.push(`<text x="${centre}" y="${headerHeight - 10}" ${font} font-size="15" text-anchor="middle">${escapeXml(panel.title)}</text>`);
  });
  rowLabels.forEach((label, r) => {
    const middle = headerHeight + gap + r * cell + (imageSize * scale) / 2 + 5;
    text.push(`<text x="${labelWidth - 8}" y="${middle}" ${font} font-size="14" text-anchor="end">${escapeXml(label)}</text>`);
  });
  if (footer) text.push(`<text x="8" y="${height - 8}" ${font} font-size="12" fill="#444">${escapeXml(footer)}</text>`);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${text.join('')}</svg>`;
  await sharp(Buffer.from(canvas), { raw: { width, height, channels: 3 } })
    .composite([{ input: Buffer.from(svg), top: 0, left: 0 }])
    .png()
    .toFile(path);
}

function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
