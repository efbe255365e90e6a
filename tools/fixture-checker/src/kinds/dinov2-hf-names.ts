import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { RawTensor } from '@pixelrepa/io';
import { hfToMetaName, metaToTimmName, timmToHf, toTimmStateDict } from '@pixelrepa/encoders';
import { loadCase, type FixtureCase } from '@pixelrepa/tensor/testing';
import type { KindChecker, TensorResult } from '../kind.js';
import { checkDinoV2Resample } from './dinov2-resample-check.js';

interface MappingRow {
  timm: string;
  hf: string;
  transform: string;
  timm_shape: number[];
  hf_shape: number[];
}

/**
 * The timm ↔ Hugging Face DINOv2 name table: our table must give every row of mapping.json;
 * the HF weights must convert to timm names and back exactly; and, when the fixtures folder has the
 * dinov2-resample case these weights came from, they must equal its checkpoint and reproduce its
 * outputs through the encoder's loader (names, then timm's resampling).
 */
export const checker: KindChecker = {
  kind: 'dinov2-hf-names',
  async check(fixture) {
    const mapping = JSON.parse(readFileSync(join(fixture.dir, fixture.json.config.mapping_file ?? 'mapping.json'), 'utf8'));
    const results = [checkMappingRows(mapping.rows as MappingRow[], mapping.hf_only ?? [])];
    const hf = fixture.file('weights_hf.safetensors');
    const { state: timm } = toTimmStateDict(hf);
    results.push(compareStateDicts('weights_hf → timm → HF (round trip)', timmToHf(timm), hf));
    const sibling = findResampleCase(fixture, timm);
    if (sibling) {
      results.push(compareStateDicts(`weights_hf → timm = ${sibling.name}/weights.safetensors`, timm, sibling.weights()));
      const viaHf = await checkDinoV2Resample(sibling, hf, 'weights_hf.safetensors');
      results.push(...viaHf.map((r) => ({ ...r, tensor: `${sibling.name}/${r.tensor} (from HF weights)` })));
    }
    return results;
  },
};

/** Every mapping row, through our HF → DINOv2 → timm table: same timm name, same slice, same shapes. */
function checkMappingRows(rows: MappingRow[], hfOnly: Array<{ hf: string }>): TensorResult {
  const problems: string[] = [];
  for (const row of rows) {
    const mapped = hfToMetaName(row.hf);
    const timm = mapped && metaToTimmName(mapped.meta);
    const slice = /rows \[(\d+):(\d+)\] of dim 0/.exec(row.transform);
    const expectedPart = slice ? [Number(slice[1]), Number(slice[2])] : undefined;
    const rowsPerPart = mapped?.part ? row.timm_shape[0] / mapped.part.of : 0;
    const ourPart = mapped?.part ? [mapped.part.index * rowsPerPart, (mapped.part.index + 1) * rowsPerPart] : undefined;
    const ourHfShape = mapped?.part ? [rowsPerPart, ...row.timm_shape.slice(1)] : row.timm_shape;
    if (timm !== row.timm) problems.push(`${row.hf}: ours ${timm ?? 'unmapped'}, table ${row.timm}`);
    else if (String(ourPart) !== String(expectedPart)) problems.push(`${row.hf}: slice ${ourPart ?? 'whole'} vs ${expectedPart ?? 'whole'}`);
    else if (String(ourHfShape) !== String(row.hf_shape)) problems.push(`${row.hf}: shape [${ourHfShape}] vs [${row.hf_shape}]`);
  }
  for (const { hf } of hfOnly) {
    const mapped = hfToMetaName(hf);
    if (!mapped || metaToTimmName(mapped.meta) !== undefined) problems.push(`${hf}: should be known and dropped for timm`);
  }
  return {
    tensor: `mapping.json (${rows.length} rows, ${hfOnly.length} HF-only)`,
    maxAbsError: problems.length,
    allowed: 0,
    ok: problems.length === 0,
    detail: problems.length ? `${problems.length} rows differ: ${problems.slice(0, 5).join('; ')}` : undefined,
  };
}

/** Same keys, shapes, dtypes and values (exactly). */
function compareStateDicts(name: string, actual: Map<string, RawTensor>, expected: Map<string, RawTensor>): TensorResult {
  const problems: string[] = [];
  let maxAbsError = 0;
  for (const key of new Set([...actual.keys(), ...expected.keys()])) {
    const a = actual.get(key);
    const e = expected.get(key);
    if (!a || !e) {
      problems.push(`${key} only in ${a ? 'ours' : 'the fixture'}`);
      continue;
    }
    if (String(a.shape) !== String(e.shape)) {
      problems.push(`${key}: [${a.shape}] vs [${e.shape}]`);
      continue;
    }
    for (let i = 0; i < e.data.length; i++) maxAbsError = Math.max(maxAbsError, Math.abs(Number(a.data[i]) - Number(e.data[i])));
  }
  const ok = problems.length === 0 && maxAbsError === 0;
  return {
    tensor: name,
    maxAbsError: problems.length ? Infinity : maxAbsError,
    allowed: 0,
    ok,
    detail: ok ? undefined : problems.slice(0, 5).join('; ') || `values differ by ${maxAbsError}`,
  };
}

/** A dinov2-resample case beside this one whose checkpoint has exactly these timm names and shapes. */
function findResampleCase(fixture: FixtureCase, timm: Map<string, RawTensor>): FixtureCase | undefined {
  const root = dirname(fixture.dir);
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    const dir = join(root, entry.name);
    if (!entry.isDirectory() || !existsSync(join(dir, 'case.json'))) continue;
    const candidate = loadCase(dir);
    if (candidate.kind.replace(/_/g, '-') !== 'dinov2-resample') continue;
    const weights = candidate.weights();
    const same = weights.size === timm.size && [...timm].every(([key, value]) => String(weights.get(key)?.shape) === String(value.shape));
    if (same) return candidate;
  }
  return undefined;
}
