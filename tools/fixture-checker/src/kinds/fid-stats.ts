import type { RawTensor } from '@pixelrepa/io';
import { frechetDistance, inceptionScore, kernelInceptionDistance, NumpyRandomState, type FeatureStatistics } from '@pixelrepa/metrics';
import type { FixtureCase } from '@pixelrepa/tensor/testing';
import { compareTensor } from '../compare.js';
import type { KindChecker, TensorResult } from '../kind.js';
import { missingResults } from '../tensors.js';

/**
 * torch-fidelity's fid_statistics_to_metric, isc_features_to_metric (shuffled and not) and
 * kid_features_to_metric, with the numpy RandomState draws they depend on. Float64 throughout,
 * so no tensors: the metric functions take plain arrays.
 */
export const checker: KindChecker = {
  kind: 'fid-stats-and-frechet',
  async check(fixture) {
    const inputs = fixture.inputs();
    const expected = fixture.expected();
    const actual = new Map<string, ArrayLike<number>>();
    for (const name of inputs.keys()) {
      const fid = /^mu1_d(\d+)$/.exec(name);
      if (fid) {
        const d = fid[1];
        actual.set(`fid_d${d}`, [frechetDistance(statistics(fixture, '1', d), statistics(fixture, '2', d))]);
      }
      const isc = /^isc_logits(.*)$/.exec(name);
      if (isc) {
        const suffix = isc[1];
        const logits = data(fixture, name) as Float32Array;
        const classes = inputs.get(name)!.shape[1];
        const rows = inputs.get(name)!.shape[0];
        const shuffled = inceptionScore(logits, classes);
        const plain = inceptionScore(logits, classes, { shuffle: false });
        actual.set(`isc_perm${suffix}`, new NumpyRandomState(2020).permutation(rows));
        actual.set(`isc_split_scores${suffix}`, shuffled.splitScores);
        actual.set(`isc_mean${suffix}`, [shuffled.mean]);
        actual.set(`isc_std${suffix}`, [shuffled.std]);
        actual.set(`isc_mean_noshuffle${suffix}`, [plain.mean]);
        actual.set(`isc_std_noshuffle${suffix}`, [plain.std]);
      }
    }
    if (inputs.has('kid_features1')) {
      const [n1, d] = inputs.get('kid_features1')!.shape;
      const n2 = inputs.get('kid_features2')!.shape[0];
      const kid = kernelInceptionDistance(data(fixture, 'kid_features1') as Float32Array, data(fixture, 'kid_features2') as Float32Array, d);
      actual.set('kid_mean', [kid.mean]);
      actual.set('kid_std', [kid.std]);
      actual.set('kid_mmd_per_subset_f64', kid.subsetValues);
      // The subsets: per subset, choice(n1) then choice(n2) from one RandomState(2020).
      const random = new NumpyRandomState(2020);
      const rows1 = new Int32Array(kid.subsetValues.length * kid.subsetSize);
      const rows2 = new Int32Array(rows1.length);
      for (let s = 0; s < kid.subsetValues.length; s++) {
        rows1.set(random.choiceWithoutReplacement(n1, kid.subsetSize), s * kid.subsetSize);
        rows2.set(random.choiceWithoutReplacement(n2, kid.subsetSize), s * kid.subsetSize);
      }
      actual.set('kid_subset_idx1', rows1);
      actual.set('kid_subset_idx2', rows2);
    }
    const results: TensorResult[] = [];
    for (const [name, values] of actual) {
      const want = expected.get(name);
      if (want) results.push(compareTensor(fixture.json, name, values, want));
    }
    return [...results, ...missingResults(fixture, actual.keys())];
  },
};

function data(fixture: FixtureCase, name: string): RawTensor['data'] {
  const raw = fixture.inputs().get(name);
  if (!raw) throw new Error(`${fixture.name}: inputs.safetensors has no "${name}"`);
  return raw.data;
}

function statistics(fixture: FixtureCase, set: string, d: string): FeatureStatistics {
  const mean = data(fixture, `mu${set}_d${d}`);
  const covariance = data(fixture, `sigma${set}_d${d}`);
  return { dim: mean.length, mean: Float64Array.from(mean as ArrayLike<number>), covariance: Float64Array.from(covariance as ArrayLike<number>) };
}
