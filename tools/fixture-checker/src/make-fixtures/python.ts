import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The generator's entry point (Python, tools/make-fixtures). */
export const generatorScript = fileURLToPath(new URL('../../../make-fixtures/make_fixtures.py', import.meta.url));

/** How to get what the generator needs, for messages. */
export const installTorch =
  'install PyTorch and numpy for Python 3 (Debian: apt-get install python3-torch; else pip install torch numpy), or point PYTHON at a python that has them';

/**
 * The first Python that imports torch and numpy: `$PYTHON`, then `python3`, then Debian's
 * `/usr/bin/python3` (a version manager's python3 may come first on PATH without Debian's packages).
 * Returns undefined, with the reason, when none does.
 */
export function findTorchPython(): { python?: string; reason: string } {
  const candidates = [process.env.PYTHON, 'python3', '/usr/bin/python3'].filter((value): value is string => Boolean(value));
  const reasons: string[] = [];
  for (const python of [...new Set(candidates)]) {
    const probe = spawnSync(python, ['-c', 'import torch, numpy; print(torch.__version__)'], { encoding: 'utf8' });
    if (probe.status === 0) return { python, reason: `torch ${probe.stdout.trim()} (${python})` };
    reasons.push(`${python}: ${probe.error ? probe.error.message : (probe.stderr.trim().split('\n').pop() ?? `exit ${probe.status}`)}`);
  }
  return { reason: `no Python with torch and numpy (${reasons.join('; ')}): ${installTorch}` };
}
