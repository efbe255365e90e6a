"""Tolerances the way the public fixtures state them: 10× the largest |float32 − float64| measured
by running the same official code in both precisions, rounded up to 1, 2 or 5 × 10^k (at least 1e-7)."""
import math

import numpy as np

RULE = (
    "|actual - expected| <= atol + rtol*|expected| elementwise. atol = 10x the largest measured |float32 - float64| "
    "of the reference run over all expected float tensors (loose for small-valued tensors such as small gradients). "
    "Tighter alternatives: per_tensor[name].atol (10x that tensor's own measured error), or atol_t = "
    "atol_relative_to_max * max|expected_t| (10x the worst error/scale ratio of this case). Integer / exact tensors: exact match."
)


def round_up_125(value, floor=1e-7):
    if value <= floor:
        return floor
    exponent = math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        candidate = step * 10.0**exponent
        if candidate >= value * (1 - 1e-12):
            return float(f"{candidate:.0e}")
    raise AssertionError(value)


def tolerance_block(expected32, expected64, rtol=1e-4):
    """expected32 / expected64: name → numpy arrays of the same outputs computed in float32 and float64."""
    per_tensor = {}
    worst_ratio = 0.0
    for name, value in expected32.items():
        if not np.issubdtype(value.dtype, np.floating):
            continue
        error = float(np.max(np.abs(value.astype(np.float64) - expected64[name]))) if value.size else 0.0
        scale = float(np.max(np.abs(expected64[name]))) if value.size else 0.0
        if scale > 0:
            worst_ratio = max(worst_ratio, error / scale)
        per_tensor[name] = {
            "max_abs_err_f32_vs_f64": float(f"{error:.3g}"),
            "max_abs_value": float(f"{scale:.4g}"),
            "atol": round_up_125(10 * error),
            "rtol": rtol,
        }
    return {
        "atol": max((entry["atol"] for entry in per_tensor.values()), default=1e-7),
        "rtol": rtol,
        "atol_relative_to_max": round_up_125(10 * worst_ratio, floor=1e-9),
        "rule": RULE,
        "per_tensor": per_tensor,
    }
