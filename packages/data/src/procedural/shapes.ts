/**
 * Signed distances (negative inside) of the procedural dataset's shapes, in the shape's own
 * frame where it spans roughly [−1, 1]². Distances need only be right near the edge, where they
 * set the anti-aliased coverage.
 */
export const shapeNames = ['circle', 'square', 'triangle', 'ring', 'cross', 'half-disc', 'star', 'hexagon', 'crescent', 'bar'] as const;
export type ShapeName = (typeof shapeNames)[number];

const sqrt3 = Math.sqrt(3);

function box(x: number, y: number, halfWidth: number, halfHeight: number): number {
  const dx = Math.abs(x) - halfWidth;
  const dy = Math.abs(y) - halfHeight;
  const outside = Math.hypot(Math.max(dx, 0), Math.max(dy, 0));
  return outside + Math.min(Math.max(dx, dy), 0);
}

function triangle(x: number, y: number): number {
  // Equilateral with its centroid at the origin, apex up (image y points down), circumradius ≈ 1.2.
  const s = 0.95;
  let px = Math.abs(x * s) - 1;
  let py = -y * s + 1 / sqrt3;
  if (px + sqrt3 * py > 0) {
    const nx = (px - sqrt3 * py) / 2;
    py = (-sqrt3 * px - py) / 2;
    px = nx;
  }
  px -= Math.min(Math.max(px, -2), 0);
  return (-Math.hypot(px, py) * Math.sign(py)) / s;
}

function star(x: number, y: number): number {
  const points = 5;
  const angle = Math.atan2(x, y) + Math.PI;
  const sector = ((angle / (2 * Math.PI)) * points) % 1;
  const towardTip = Math.abs(1 - 2 * sector);
  const radius = 0.45 + 0.55 * towardTip;
  return (Math.hypot(x, y) - radius) * 0.7;
}

function hexagon(x: number, y: number): number {
  const ax = Math.abs(x);
  const ay = Math.abs(y);
  return Math.max(ax * 0.5 + ay * (sqrt3 / 2), ax) - 0.9;
}

/** Signed distance of `shape` at (x, y). */
export function shapeDistance(shape: ShapeName, x: number, y: number): number {
  switch (shape) {
    case 'circle':
      return Math.hypot(x, y) - 0.9;
    case 'square':
      return box(x, y, 0.75, 0.75);
    case 'triangle':
      return triangle(x, y);
    case 'ring':
      return Math.abs(Math.hypot(x, y) - 0.7) - 0.25;
    case 'cross':
      return Math.min(box(x, y, 0.95, 0.3), box(x, y, 0.3, 0.95));
    case 'half-disc':
      return Math.max(Math.hypot(x, y - 0.4) - 1, y - 0.4); // flat side down, centroid near 0
    case 'star':
      return star(x, y);
    case 'hexagon':
      return hexagon(x, y);
    case 'crescent':
      return Math.max(Math.hypot(x, y) - 0.9, -(Math.hypot(x - 0.45, y - 0.1) - 0.7));
    case 'bar':
      return box(x, y, 1, 0.32);
  }
}
