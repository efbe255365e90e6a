import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** What to do when a fixtures folder is missing or empty (printed after the problem). */
export const getFixtures = 'get them with `npm run make-fixtures -- --help` (docs/fixtures.md), or point PIXELREPA_FIXTURES at a copy';

/**
 * The case folders (those holding a `case.json`) under `root`, sorted. Throws a message for people
 * when `root` does not exist, is not a folder, or holds no case, before anything heavier (a backend) starts.
 */
export function caseFolders(root: string): string[] {
  if (!existsSync(root)) throw new Error(`fixtures folder ${root} does not exist: ${getFixtures}`);
  if (!statSync(root).isDirectory()) throw new Error(`fixtures folder ${root} is a file, not a folder of cases`);
  const folders = readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(root, entry.name, 'case.json')))
    .map((entry) => entry.name)
    .sort();
  if (folders.length === 0) throw new Error(`fixtures folder ${root} holds no case (a sub-folder with a case.json): ${getFixtures}`);
  return folders;
}
