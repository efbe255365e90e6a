import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadCase } from '@pixelrepa/tensor/testing';
import type { KindChecker } from './kind.js';
import { caseFolders } from './fixtures-folder.js';
import { normaliseKind } from './run.js';

/** The case folders under a fixtures folder, grouped by the checker of their kind. */
export interface CasesByKind {
  /** Every known kind, in registry order, with its case folders (none when the folder lacks them). */
  known: Array<{ kind: string; folders: string[] }>;
  /** Case folders whose kind no checker knows, as `folder (kind)`. */
  unknown: string[];
}

/** Sorts the cases under `root` (a missing `root` holds none) by the checker that runs them. */
export function casesByKind(root: string | undefined, checkers: KindChecker[]): CasesByKind {
  const folders = root && existsSync(root) ? tryCaseFolders(root) : [];
  const known = checkers.map((checker) => ({
    kind: checker.kind,
    names: [checker.kind, ...(checker.aliases ?? [])].map(normaliseKind),
    folders: [] as string[],
  }));
  const unknown: string[] = [];
  for (const folder of folders) {
    const kind = loadCase(join(root!, folder)).kind;
    const entry = known.find((candidate) => candidate.names.includes(normaliseKind(kind)));
    if (entry) entry.folders.push(folder);
    else unknown.push(`${folder} (${kind})`);
  }
  return { known: known.map(({ kind, folders: found }) => ({ kind, folders: found })), unknown };
}

function tryCaseFolders(root: string): string[] {
  try {
    return caseFolders(root);
  } catch {
    return []; // an empty folder: every kind's cases are missing
  }
}
