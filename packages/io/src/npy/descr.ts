import type { DType } from '../dtypes.js';

/** numpy type codes (kind + item size) → our dtypes. */
const FROM_NUMPY: Record<string, DType> = {
  f2: 'F16',
  f4: 'F32',
  f8: 'F64',
  i1: 'I8',
  i2: 'I16',
  i4: 'I32',
  i8: 'I64',
  u1: 'U8',
  b1: 'BOOL',
};

const TO_NUMPY: Partial<Record<DType, string>> = {
  F16: '<f2',
  F32: '<f4',
  F64: '<f8',
  I8: '|i1',
  I16: '<i2',
  I32: '<i4',
  I64: '<i8',
  U8: '|u1',
  BOOL: '|b1',
};

/** Parses a numpy `descr` such as '<f4' or '|b1'; undefined when unsupported. */
export function dtypeFromDescr(descr: string): { dtype: DType; bigEndian: boolean } | undefined {
  const match = /^([<>|=]?)([a-z]\d+)$/.exec(descr);
  if (!match) return undefined;
  const dtype = FROM_NUMPY[match[2]];
  return dtype ? { dtype, bigEndian: match[1] === '>' } : undefined;
}

/** The numpy `descr` for a dtype (little-endian); undefined for BF16, which numpy lacks. */
export function descrOf(dtype: DType): string | undefined {
  return TO_NUMPY[dtype];
}

export const SUPPORTED_DESCRS = Object.keys(FROM_NUMPY).join(', ');
