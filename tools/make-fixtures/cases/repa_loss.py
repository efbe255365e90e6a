"""repa_projection_loss: REPA's projector (models/sit.py build_mlp) and the projection term of its
SILoss (loss.py), called with a stand-in model that returns (zeros, [projector(h)]); the gradients of
the projection loss for the projector's parameters and for h."""
import torch

import seeded
from cases.common import load_state, reference_block, run_both, state_arrays, tensor_table

CASE = "repa-loss"
KIND = "repa_projection_loss"
NEEDS = {"repa": ["loss.py", "models/sit.py"]}
PROJECTOR = {"hidden_size": 64, "projector_dim": 128, "z_dim": 48}

DESCRIPTIONS = {
    "h": "[B,T,D] float32 hidden states of the diffusion transformer at encoder_depth",
    "z_target": "[B,T,z_dim] float32 un-normalized target encoder features (zs[0])",
    "proj_loss": "[] the projection loss", "zs_tilde": "[B,T,z_dim] projector output", "grad.h": "[B,T,D] d proj_loss / d h",
}


def generate(official, seed, source=None):
    sit = official.repa_module("models.sit")
    loss_module = official.repa_module("loss")
    config = source.json["config"] if source else {
        "projector": {"function": "models/sit.py build_mlp", "args": PROJECTOR},
        "loss": "loss.py SILoss.__call__ projection term, with zs=[z_target] and a stand-in model returning "
                "(zeros, [projector(h.reshape(-1, D)).reshape(N, T, -1)]) (the denoising term is ignored)",
    }
    projector = sit.build_mlp(**config["projector"]["args"])
    if source:
        load_state(projector, source.weights)
        inputs = {name: torch.from_numpy(value) for name, value in source.inputs.items()}
    else:
        seeded.overwrite_weights(projector, seed)
        args = config["projector"]["args"]
        inputs = {"h": seeded.normal([2, 64, args["hidden_size"]], seed + 1), "z_target": seeded.normal([2, 64, args["z_dim"]], seed + 2)}

    def run(module, values):
        with torch.enable_grad():
            module.zero_grad(set_to_none=True)
            h = values["h"].clone().requires_grad_(True)
            outputs = {}

            def model(model_input, _time, **_kwargs):
                n, t, d = h.shape
                outputs["zs_tilde"] = module(h.reshape(-1, d)).reshape(n, t, -1)
                return torch.zeros_like(model_input), [outputs["zs_tilde"]]

            images = torch.zeros(h.shape[0], 3, 2, 2, dtype=h.dtype)
            _, proj_loss = loss_module.SILoss()(model, images, zs=[values["z_target"]])
            proj_loss.backward()
        outputs["proj_loss"] = proj_loss
        outputs["grad.h"] = h.grad
        outputs.update({f"grad.{name}": param.grad for name, param in module.named_parameters()})
        return outputs

    expected, _, tolerance = run_both(projector, inputs, run)
    input_arrays = {name: value.numpy() for name, value in inputs.items()}
    descriptions = {**DESCRIPTIONS, **{f"grad.{name}": f"d proj_loss / d {name}" for name, _ in projector.named_parameters()}}
    case_json = {
        "case": CASE, "kind": KIND, "config": config, "tolerance": tolerance, "reference": reference_block([], NEEDS["repa"]),
        "weights": {"file": "weights.safetensors", "description": seeded.__doc__.strip() if not source else f"from {source.dir}"},
        "inputs": tensor_table(input_arrays, descriptions), "expected": tensor_table(expected, descriptions),
        "seed": None if source else seed,
    }
    return case_json, state_arrays(projector), input_arrays, expected
