import sharp from 'sharp';

export interface Series {
  name: string;
  colour: string;
  points: Array<[number, number]>;
  /** Stroke opacity (default 1); an empty `name` draws no legend entry. */
  opacity?: number;
  /** Dots at the points besides the line. */
  markers?: boolean;
}

/** Moving average over `window` points (training losses are noisy). */
export function smooth(points: Array<[number, number]>, window = 20): Array<[number, number]> {
  return points.map(([x], i) => {
    const from = Math.max(0, i - window + 1);
    const slice = points.slice(from, i + 1);
    return [x, slice.reduce((sum, [, y]) => sum + y, 0) / slice.length];
  });
}

/** A line chart as a PNG (SVG rendered by sharp): one panel per series, x = step. */
export async function lineChartPng(path: string, title: string, panels: Series[][], width = 900, panelHeight = 260): Promise<void> {
  const margin = { left: 70, right: 20, top: 40, bottom: 40 };
  const height = panels.length * panelHeight + margin.top;
  const parts: string[] = [
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${width / 2}" y="24" font-family="sans-serif" font-size="18" text-anchor="middle">${title}</text>`,
  ];
  panels.forEach((series, p) => {
    const top = margin.top + p * panelHeight;
    const plotH = panelHeight - margin.bottom - 10;
    const plotW = width - margin.left - margin.right;
    const all = series.flatMap((s) => s.points);
    const xs = all.map(([x]) => x);
    const ys = all.map(([, y]) => y).filter(Number.isFinite);
    const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
    const [y0, y1] = [Math.min(...ys), Math.max(...ys)];
    const sx = (x: number) => margin.left + ((x - x0) / Math.max(x1 - x0, 1e-9)) * plotW;
    const sy = (y: number) => top + plotH - ((y - y0) / Math.max(y1 - y0, 1e-9)) * plotH;
    parts.push(`<rect x="${margin.left}" y="${top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`);
    for (const value of [y0, (y0 + y1) / 2, y1]) {
      parts.push(`<text x="${margin.left - 6}" y="${sy(value) + 4}" font-family="sans-serif" font-size="12" text-anchor="end">${value.toPrecision(3)}</text>`);
    }
    const distinct = [...new Set(xs)].sort((m, n) => m - n);
    const ticks = distinct.length <= 8 ? distinct : [0, 1, 2, 3, 4].map((i) => Math.round(x0 + ((x1 - x0) * i) / 4));
    ticks.forEach((x, i) => {
      const anchor = i === ticks.length - 1 && ticks.length > 1 ? 'end' : i === 0 ? 'start' : 'middle';
      parts.push(`<line x1="${sx(x).toFixed(1)}" y1="${top + plotH}" x2="${sx(x).toFixed(1)}" y2="${top + plotH + 4}" stroke="#999"/>`);
      parts.push(
        `<text x="${sx(x).toFixed(1)}" y="${top + plotH + 16}" font-family="sans-serif" font-size="12" text-anchor="${anchor}">${i === ticks.length - 1 ? `step ${x}` : x}</text>`,
      );
    });
    let legend = 0;
    for (const s of series) {
      const finite = s.points.filter(([, y]) => Number.isFinite(y));
      const d = finite.map(([x, y], i) => `${i ? 'L' : 'M'}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ');
      const opacity = s.opacity ?? 1;
      parts.push(`<path d="${d}" fill="none" stroke="${s.colour}" stroke-opacity="${opacity}" stroke-width="1.5"/>`);
      if (s.markers)
        for (const [x, y] of finite)
          parts.push(`<circle cx="${sx(x).toFixed(1)}" cy="${sy(y).toFixed(1)}" r="3" fill="${s.colour}" fill-opacity="${opacity}"/>`);
      if (s.name)
        parts.push(`<text x="${margin.left + 10}" y="${top + 18 + 16 * legend++}" font-family="sans-serif" font-size="13" fill="${s.colour}">${s.name}</text>`);
    }
  });
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${parts.join('')}</svg>`;
  await sharp(Buffer.from(svg)).png().toFile(path);
}
