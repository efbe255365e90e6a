/**
 * Surface patterns of the procedural shapes, in the shape's frame (so they turn with it):
 * a brightness factor in [0.35, 1] at (x, y).
 */
export const textureNames = ['solid', 'stripes', 'checker', 'dots', 'rings'] as const;
export type TextureName = (typeof textureNames)[number];

/** Smooth step from `low` to `high` around `edge` (half-width `width`). */
function soft(value: number, edge: number, width: number): number {
  const t = Math.min(Math.max((value - edge + width) / (2 * width), 0), 1);
  return t * t * (3 - 2 * t);
}

export function textureShade(texture: TextureName, x: number, y: number): number {
  switch (texture) {
    case 'solid':
      return 1;
    case 'stripes':
      return 0.35 + 0.65 * soft(Math.sin(x * Math.PI * 2.2), 0, 0.35);
    case 'checker': {
      const s = Math.sin(x * Math.PI * 1.6) * Math.sin(y * Math.PI * 1.6);
      return 0.35 + 0.65 * soft(s, 0, 0.2);
    }
    case 'dots': {
      const cx = x * 2.2 - Math.round(x * 2.2);
      const cy = y * 2.2 - Math.round(y * 2.2);
      return 1 - 0.65 * (1 - soft(Math.hypot(cx, cy), 0.3, 0.08));
    }
    case 'rings':
      return 0.35 + 0.65 * soft(Math.cos(Math.hypot(x, y) * Math.PI * 3.2), 0, 0.35);
  }
}
