"""mta_forward: the Masked Transformer Adapter on encoder tokens, with per-block outputs."""

import seeded
from cases.common import model_and_inputs, recorder, reference_block, run_both, state_arrays, tensor_table

CASE = "mta-forward"
KIND = "mta_forward"
NEEDS = {"official": ["model_pixelREPA.py", "util/model_util.py"]}
CONSTRUCTOR = dict(input_size=32, patch_size=4, in_channels=3, out_channels=48, hidden_size=64, depth=2, num_heads=4,
                   mlp_ratio=4.0, in_context_len=4, num_classes=10)

DESCRIPTIONS = {
    "x": "[B,N,D] float32 N(0,1): encoder tokens (x_encoded, possibly mask-token substituted)",
    "t": "[B] float32 timesteps in (0,1)",
    "y": "[B] int32 labels (num_classes = null class)",
    "out": "[B,N,out_channels]: mta(x,t,y) (in-context tokens removed, then projection_layer)",
    "projection_in": "[B,N,D]: tokens entering projection_layer",
}


def generate(official, seed, source=None):
    def seeded_inputs(constructor):
        tokens = (constructor["input_size"] // constructor["patch_size"]) ** 2
        return {"x": seeded.normal([2, tokens, constructor["hidden_size"]], seed + 1), "t": seeded.uniform([2], seed + 2, 0.05, 0.95),
                "y": seeded.labels(2, constructor["num_classes"], seed + 3)}

    constructor, mta, inputs = model_and_inputs(official.MaskedTransformerAdapter, CONSTRUCTOR, seed, source, seeded_inputs)

    def run(model, values):
        names = {f"block_{i}": f"blocks.{i}" for i in range(constructor["depth"])}
        recorded, remove = recorder(model, names)
        captured = {}
        handle = model.projection_layer.register_forward_pre_hook(lambda _m, args: captured.setdefault("projection_in", args[0].clone()))
        out = model(values["x"], values["t"], values["y"].long())
        handle.remove()
        remove()
        return {**recorded, **captured, "out": out}

    expected, _, tolerance = run_both(mta, inputs, run)
    weights = state_arrays(mta)
    input_arrays = {name: value.numpy() for name, value in inputs.items()}
    case_json = {
        "case": CASE, "kind": KIND,
        "config": {"class": "model_pixelREPA.MaskedTransformerAdapter", "constructor": constructor, "mode": "eval", "calls": ["out = mta(x, t, y)"]},
        "tolerance": tolerance, "reference": reference_block(),
        "weights": {"file": "weights.safetensors", "count": len(weights), "description": seeded.__doc__.strip() if not source else f"from {source.dir}"},
        "inputs": tensor_table(input_arrays, DESCRIPTIONS), "expected": tensor_table(expected, DESCRIPTIONS),
        "seed": None if source else seed,
    }
    return case_json, weights, input_arrays, expected
