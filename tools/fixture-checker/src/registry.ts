import type { KindChecker } from './kind.js';

/**
 * Every kind the checker knows. Each lives in its own file under `kinds/`; add new ones here.
 */
export async function loadCheckers(): Promise<KindChecker[]> {
  const modules = await Promise.all([
    import('./kinds/jit-forward.js'),
    import('./kinds/sincos-rope.js'),
    // import('./kinds/torch-checkpoint.js'),
  ]);
  return modules.map((m: { checker: KindChecker }) => m.checker);
}
