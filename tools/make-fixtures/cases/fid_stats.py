"""fid-stats-and-frechet: torch-fidelity's metric functions on the published statistics and features —
metric_fid.fid_statistics_to_metric per dimension (mu{1,2}_d{D}, sigma{1,2}_d{D}), metric_isc.isc_features_to_metric
per logits set (shuffled and not), metric_kid.kid_features_to_metric.

The per-split Inception scores are isc_features_to_metric itself on each split of the shuffled rows (splits=1,
no shuffle: the same softmax, mean and KL as inside it); the row order (np.random.RandomState(rng_seed).permutation)
and the KID subsets (the same RandomState's choice draws, subset by subset) are drawn here the way those functions
draw them; kid_mmd_per_subset_f64 is metric_kid.kernel_mmd on those subsets in float64.

Seeded (without --from): two sets of non-negative float32 features (1500 and 1200 rows, 64 dims: the KID
features; their statistics are metric_fid.fid_features_to_statistics, mu float32 and sigma rounded to float32,
stored as float64 like the published ones) and bfloat16-valued logits (1000 rows, and 997 for `_uneven`, 1008
classes). Tolerances follow the published rules: FID 10x |eigvals - symmetric eigh| (two float64 ways to the same
trace) with a 1e-9 relative floor; IS float64 (atol 1e-9, rtol 1e-10); KID 10x |float32 - float64| of
kid_features_to_metric; index tensors exact."""
import numpy as np
import torch

import seeded
from cases import published
from cases.common import tensor_table
from tolerance import round_up_125

CASE = "fid-stats-and-frechet"
KIND = "fid-stats-and-frechet"
NEEDS = {"upstream": ["fidelity"]}
FILES = ["torch_fidelity/metric_fid.py", "torch_fidelity/metric_isc.py", "torch_fidelity/metric_kid.py"]
ROWS = (1500, 1200)
DIM = 64
LOGITS = {"isc_logits": 1000, "isc_logits_uneven": 997}
CLASSES = 1008


def seeded_inputs(seed, metric_fid):
    inputs = {}
    for i, rows in enumerate(ROWS, start=1):
        scale = seeded.uniform([DIM], seed + 10 * i, 0.5, 1.5)
        features = (seeded.normal([rows, DIM], seed + 10 * i + 1) * scale + 0.1 * i).abs()  # post-ReLU-like, shifted per set
        inputs[f"kid_features{i}"] = features.numpy()
        stats = metric_fid.fid_features_to_statistics(features)
        inputs[f"mu{i}_d{DIM}"] = stats["mu"].astype(np.float64)
        inputs[f"sigma{i}_d{DIM}"] = stats["sigma"].astype(np.float32).astype(np.float64)
    for j, (name, rows) in enumerate(LOGITS.items()):
        bias = 3 * seeded.normal([CLASSES], seed + 100 + j)
        logits = 2 * seeded.normal([rows, CLASSES], seed + 110 + j) + bias
        inputs[name] = logits.to(torch.bfloat16).to(torch.float32).numpy()
    return inputs


def seeded_tolerance(inputs, expected, metric_kid):
    per_tensor = {}
    for name in expected:
        if name.startswith("fid_d"):
            dim = name[len("fid_"):]
            s1, s2 = inputs[f"sigma1_{dim}"], inputs[f"sigma2_{dim}"]
            mu = inputs[f"mu1_{dim}"] - inputs[f"mu2_{dim}"]
            values, vectors = np.linalg.eigh(s1)
            root = (vectors * np.sqrt(np.clip(values, 0, None))) @ vectors.T
            symmetric = float(mu @ mu + np.trace(s1) + np.trace(s2) - 2 * np.sum(np.sqrt(np.clip(np.linalg.eigvalsh(root @ s2 @ root), 0, None))))
            error = abs(symmetric - float(expected[name][0]))
            per_tensor[name] = {"atol": round_up_125(max(10 * error, 1e-9 * abs(float(expected[name][0]))), floor=1e-12), "rtol": 1e-9,
                                "max_abs_discrepancy_between_float64_methods": float(f"{error:.3g}")}
        elif name.startswith(("isc_perm", "kid_subset_idx")):
            per_tensor[name] = {"atol": 0, "rtol": 0}
        elif name.startswith("isc_"):
            per_tensor[name] = {"atol": 1e-9, "rtol": 1e-10}
    kid64 = metric_kid.kid_features_to_metric(*(torch.from_numpy(inputs[f"kid_features{i}"].astype(np.float64)) for i in (1, 2)), verbose=False)
    error = max(abs(kid64[metric_kid.KEY_METRIC_KID_MEAN] - float(expected["kid_mean"][0])), abs(kid64[metric_kid.KEY_METRIC_KID_STD] - float(expected["kid_std"][0])))
    for name in ("kid_mean", "kid_std", "kid_mmd_per_subset_f64"):
        per_tensor[name] = {"atol": round_up_125(10 * error), "rtol": 0.0, "observed_reference_f32_vs_f64_replica": float(f"{error:.3g}")}
    return {
        "atol": max(entry["atol"] for entry in per_tensor.values()), "rtol": 1e-9,
        "rule": "per_tensor: FID 10x the disagreement of two float64 ways (eigvals of S1 S2; eigh of sqrt(S1) S2 sqrt(S1)), at least "
                "1e-9 |fid|; IS float64 (atol 1e-9, rtol 1e-10); KID 10x |float32 - float64| of kid_features_to_metric; indices exact",
        "per_tensor": per_tensor,
    }


def generate(official, seed, source=None):
    expected = {}
    with official.upstream.fidelity():
        from torch_fidelity import metric_fid, metric_isc, metric_kid
        from torch_fidelity.defaults import DEFAULTS

        inputs = source.inputs if source else seeded_inputs(seed, metric_fid)
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

        if source:
            case_json = published.case_json(source, CASE, ["fidelity"], {"fidelity": FILES})
            return case_json, {}, {}, expected, published.copied_files(source, ["inputs.safetensors"])
        tolerance = seeded_tolerance(inputs, expected, metric_kid)
    case_json = {
        "case": CASE, "kind": KIND,
        "config": {"functions": {"fid": "torch_fidelity.metric_fid.fid_statistics_to_metric", "isc": "torch_fidelity.metric_isc.isc_features_to_metric",
                                 "kid": "torch_fidelity.metric_kid.kid_features_to_metric"},
                   "isc": {"splits": DEFAULTS["isc_splits"], "rng_seed": DEFAULTS["rng_seed"]},
                   "kid": {"subsets": DEFAULTS["kid_subsets"], "subset_size": DEFAULTS["kid_subset_size"], "kernel": DEFAULTS["kid_kernel"],
                           "degree": DEFAULTS["kid_kernel_poly_degree"], "coef0": DEFAULTS["kid_kernel_poly_coef0"]}},
        "tolerance": tolerance,
        "reference": published.reference_block(["fidelity"], {"fidelity": FILES}),
        "inputs": tensor_table(inputs, {}), "expected": tensor_table(expected, {}),
        "seed": seed,
    }
    return case_json, {}, inputs, expected
