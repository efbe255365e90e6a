import type { FixtureCase } from '@pixelrepa/tensor/testing';
import type { BackendName } from '@pixelrepa/tensor';

/** One compared tensor (or value) of a case. */
export interface TensorResult {
  tensor: string;
  maxAbsError: number;
  allowed: number;
  ok: boolean;
  /** Extra words for a failure (where, what). */
  detail?: string;
}

export interface CheckContext {
  backend: BackendName;
}

/** A checker for one fixture `kind`: runs the case and compares every expected tensor. */
export interface KindChecker {
  kind: string;
  /** Other spellings of the kind found in case files (e.g. `torch-checkpoint` vs `torch_checkpoint`). */
  aliases?: string[];
  check(fixture: FixtureCase, context: CheckContext): Promise<TensorResult[]>;
}
