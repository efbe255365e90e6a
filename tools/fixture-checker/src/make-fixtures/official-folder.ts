import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { findFixturesRoot } from '@pixelrepa/tensor/testing';

/**
 * The official PixelREPA code for tests of the generator: `$PIXELREPA_OFFICIAL` (a checkout of the
 * pinned commit), else `perf/reference` beside the fixtures folder (shared/ holds both), when it has
 * model_pixelREPA.py; undefined otherwise.
 */
export function findOfficialFolder(): string | undefined {
  const fixtures = findFixturesRoot();
  const candidates = [process.env.PIXELREPA_OFFICIAL, fixtures && join(fixtures, '..', 'perf', 'reference')];
  return candidates
    .filter((value): value is string => Boolean(value))
    .map((value) => resolve(value))
    .find((folder) => existsSync(join(folder, 'model_pixelREPA.py')));
}

/**
 * REPA (sihyun-yu/REPA at 67f7145) for the repa-loss case: `$PIXELREPA_REPA`, when it has loss.py and
 * models/sit.py; undefined otherwise (nothing beside the fixtures holds it).
 */
export function findRepaFolder(): string | undefined {
  const folder = process.env.PIXELREPA_REPA && resolve(process.env.PIXELREPA_REPA);
  return folder && existsSync(join(folder, 'loss.py')) && existsSync(join(folder, 'models', 'sit.py')) ? folder : undefined;
}
