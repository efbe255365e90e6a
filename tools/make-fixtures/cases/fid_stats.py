"""fid-stats-and-frechet: torch-fidelity's metric functions on the published statistics and features —
metric_fid.fid_statistics_to_metric per dimension (mu{1,2}_d{D}, sigma{1,2}_d{D}), metric_isc.isc_features_to_metric
per logits set (shuffled and not), metric_kid.kid_features_to_metric.

The per-split Inception scores are isc_features_to_metric itself on each split of the shuffled rows (splits=1,
no shuffle: the same softmax, mean and KL as inside it); the row order (np.random.RandomState(rng_seed).permutation)
and the KID subsets (the same RandomState's choice draws, subset by subset) are drawn here the way those functions
draw them; kid_mmd_per_subset_f64 is metric_kid.kernel_mmd on those subsets in float64. Only --from."""
import numpy as np
import torch

from cases import published

CASE = "fid-stats-and-frechet"
KIND = "fid-stats-and-frechet"
NEEDS = {"upstream": ["fidelity"], "from_only": True}
FILES = ["torch_fidelity/metric_fid.py", "torch_fidelity/metric_isc.py", "torch_fidelity/metric_kid.py"]


def generate(official, seed, source=None):
    published.require_source(CASE, source)
    inputs = source.inputs
    expected = {}
    with official.upstream.fidelity():
        from torch_fidelity import metric_fid, metric_isc, metric_kid
        from torch_fidelity.defaults import DEFAULTS

        for name in sorted(inputs):
            if name.startswith("mu1_d"):
                dim = name[len("mu1_"):]
                stats = [{"mu": inputs[f"mu{i}_{dim}"], "sigma": inputs[f"sigma{i}_{dim}"]} for i in (1, 2)]
                fid = metric_fid.fid_statistics_to_metric(stats[0], stats[1], verbose=False)[metric_fid.KEY_METRIC_FID]
                expected[f"fid_{dim}"] = np.array([fid], dtype=np.float64)

        splits, rng_seed = DEFAULTS["isc_splits"], DEFAULTS["rng_seed"]
        for name in sorted(inputs):
            if not name.startswith("isc_logits"):
                continue
            suffix = name[len("isc_logits"):]
            logits = torch.from_numpy(inputs[name])
            count = logits.shape[0]
            for shuffle, tag in ((True, ""), (False, "_noshuffle")):
                scores = metric_isc.isc_features_to_metric(logits, splits=splits, shuffle=shuffle, rng_seed=rng_seed)
                expected[f"isc_mean{tag}{suffix}"] = np.array([scores[metric_isc.KEY_METRIC_ISC_MEAN]], dtype=np.float64)
                expected[f"isc_std{tag}{suffix}"] = np.array([scores[metric_isc.KEY_METRIC_ISC_STD]], dtype=np.float64)
            perm = np.random.RandomState(rng_seed).permutation(count)
            shuffled = logits[perm, :]
            per_split = [metric_isc.isc_features_to_metric(shuffled[i * count // splits: (i + 1) * count // splits], splits=1, shuffle=False)
                         [metric_isc.KEY_METRIC_ISC_MEAN] for i in range(splits)]
            expected[f"isc_perm{suffix}"] = perm.astype(np.int32)
            expected[f"isc_split_scores{suffix}"] = np.array(per_split, dtype=np.float64)

        if "kid_features1" in inputs:
            features = [inputs["kid_features1"], inputs["kid_features2"]]
            kid = metric_kid.kid_features_to_metric(*(torch.from_numpy(value) for value in features), verbose=False)
            expected["kid_mean"] = np.array([kid[metric_kid.KEY_METRIC_KID_MEAN]], dtype=np.float64)
            expected["kid_std"] = np.array([kid[metric_kid.KEY_METRIC_KID_STD]], dtype=np.float64)
            subsets, size = DEFAULTS["kid_subsets"], DEFAULTS["kid_subset_size"]
            rng = np.random.RandomState(rng_seed)
            index1, index2 = [], []
            for _ in range(subsets):
                index1.append(rng.choice(len(features[0]), size, replace=False))
                index2.append(rng.choice(len(features[1]), size, replace=False))
            expected["kid_subset_idx1"] = np.array(index1, dtype=np.int32)
            expected["kid_subset_idx2"] = np.array(index2, dtype=np.int32)
            expected["kid_mmd_per_subset_f64"] = np.array(
                [metric_kid.kernel_mmd(features[0][a].astype(np.float64), features[1][b].astype(np.float64)) for a, b in zip(index1, index2)],
                dtype=np.float64)

    case_json = published.case_json(source, CASE, ["fidelity"], {"fidelity": FILES})
    return case_json, {}, {}, expected, published.copied_files(source, ["inputs.safetensors"])
