import type { KindChecker } from './kind.js';

/**
 * Every kind the checker knows. Each lives in its own file under `kinds/`; add new ones here.
 */
export async function loadCheckers(): Promise<KindChecker[]> {
  const modules = await Promise.all([
    import('./kinds/jit-forward.js'),
    import('./kinds/sincos-rope.js'),
    import('./kinds/mta-forward.js'),
    import('./kinds/repa-loss.js'),
    import('./kinds/sample.js'),
    import('./kinds/pixelrepa-loss.js'),
    import('./kinds/lr-and-ema.js'),
    import('./kinds/train-trajectory.js'),
    import('./kinds/torch-checkpoint.js'),
    import('./kinds/center-crop.js'),
    import('./kinds/inception-fid-forward.js'),
    import('./kinds/fid-stats.js'),
    import('./kinds/dinov2-resample.js'),
    import('./kinds/dinov2-hf-names.js'),
    import('./kinds/dinov2-preprocess.js'),
  ]);
  return modules.flatMap((m: Record<string, KindChecker>) => Object.values(m));
}
