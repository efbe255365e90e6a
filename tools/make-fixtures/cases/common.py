"""What every generated case shares: running the official code in float32 and float64, the reference block."""
import copy

import numpy as np
import torch

import seeded

from official import OFFICIAL_REPO, PINNED_COMMIT, REPA_COMMIT, REPA_REPO
from tolerance import tolerance_block


def reference_block(files=None, repa_files=None):
    """files: the official PixelREPA files the case runs (None: the model files; []: none)."""
    block = {
        "pixelrepa": {"repo": OFFICIAL_REPO, "commit": PINNED_COMMIT, "files": ["model_pixelREPA.py", "util/model_util.py"] if files is None else files},
        "torch": torch.__version__,
        "numpy": np.__version__,
        "device": "cpu",
        "torch_num_threads": torch.get_num_threads(),
        "generator": "tools/make-fixtures (npm run make-fixtures)",
    }
    if not block["pixelrepa"]["files"]:
        del block["pixelrepa"]
    if repa_files:
        block["repa"] = {"repo": REPA_REPO, "commit": REPA_COMMIT, "files": repa_files}
    return block


def run_both(module, inputs, run, rtol=1e-4):
    """`run(module, inputs)` → name → tensor, in float32 and again in float64 (for the tolerances)."""
    with torch.no_grad():
        module64 = copy.deepcopy(module).double()  # before the float32 run, which may train `module`
        out32 = {name: value.detach().numpy().copy() for name, value in run(module, inputs).items()}
        # Official code casts some values to float32 itself (timestep_embedding's t.float()): layers take them in float64.
        for layer in module64.modules():
            if isinstance(getattr(layer, "weight", None), torch.Tensor):
                layer.register_forward_pre_hook(lambda _layer, args: tuple(a.double() if torch.is_tensor(a) and a.dtype == torch.float32 else a for a in args))
        inputs64 = {name: value.double() if value.dtype.is_floating_point else value for name, value in inputs.items()}
        # ...and attention computes in `.float()`: keep float64 values float64 for this run only.
        to_float = torch.Tensor.float
        torch.Tensor.float = lambda self, *args, **kwargs: self if self.dtype == torch.float64 else to_float(self, *args, **kwargs)
        try:
            out64 = {name: value.detach().double().numpy() for name, value in run(module64, inputs64).items()}
        finally:
            torch.Tensor.float = to_float
    return out32, out64, tolerance_block(out32, out64, rtol)


def recorder(module, names):
    """Forward hooks that keep the first output of each named submodule; returns (outputs, remove)."""
    outputs = {}
    handles = []
    for key, path in names.items():
        def hook(_module, _args, output, key=key):
            if key not in outputs:
                outputs[key] = output.clone()  # the caller may change it in place (x += pos_embed)
        handles.append(module.get_submodule(path).register_forward_hook(hook))
    return outputs, lambda: [handle.remove() for handle in handles]


def tensor_table(arrays, descriptions):
    return {name: {"dtype": {"float16": "F16", "float32": "F32", "float64": "F64", "int32": "I32", "int64": "I64", "uint8": "U8"}[str(arrays[name].dtype)],
                   "shape": list(arrays[name].shape), "description": descriptions.get(name, "")} for name in sorted(arrays)}


def state_arrays(module):
    return {name: value.detach().numpy().copy() for name, value in module.state_dict().items()}


def load_state(module, arrays):
    module.load_state_dict({name: torch.from_numpy(np.array(value)) for name, value in arrays.items()}, strict=True)


def model_and_inputs(build, default_constructor, seed, source, seeded_inputs):
    """The case's constructor, its model in eval mode and its inputs: those of an existing case
    (`source`: weights loaded strictly), else seeded weights and `seeded_inputs(constructor)`."""
    constructor = source.json["config"]["constructor"] if source else default_constructor
    model = build(**constructor).eval()
    if source:
        load_state(model, source.weights)
        return constructor, model, {name: torch.from_numpy(value) for name, value in source.inputs.items()}
    seeded.overwrite_weights(model, seed)
    return constructor, model, seeded_inputs(constructor)
