"""dinov2-resample: timm 0.9.12's own load-time resampling of DINOv2 (vit_base_patch14_dinov2.lvd142m, shrunk
by the case's create_model kwargs): timm.create_model(..., pretrained=True, img_size=64, patch_size=16,
pretrained_cfg_overlay={"file": <the published weights as a torch .pth>}) loads the patch-14 / 518-px checkpoint
through checkpoint_filter_fn, which PI-resizes the patch embedding (resample_patch_embed) and resizes the
position table (resample_abs_pos_embed). The expected tensors are the created model's parameters and its
forward_features (with forward hooks on patch_embed and the blocks for the intermediate values); the 16x16
position table and the PI-resize matrix are the same timm functions called directly (the matrix: identity
kernels through resample_patch_embed); the 1-D weights are torch's F.interpolate (bicubic, antialias, the call
timm makes) of identity rows, in float64.

Seeded (without --from): the original-geometry model is timm.create_model(pretrained=False) with the published
case's kwargs (embed 64, depth 2, 4 heads, patch 14, 518 px), its parameters overwritten with seeded values
(matrices N(0,1)/sqrt(fan_in), biases 0.05 N, LayerNorm weights 1 + 0.1 N, LayerScale gammas 0.5 N, cls_token
0.5 N, pos_embed smooth cosines over the 37x37 grid + 0.1 N), and two seeded [0,1] images normalized with the
ImageNet mean/std in float32. Tolerances: 10x |float32 - float64| per tensor, rounded up to 1, 2, 5 x 10^k, the
float64 twin running the same model in float64 on the resampled weights recomputed in float64 (timm's resample
functions compute in float32: the twin uses the same F.interpolate weights and numpy pinv in float64)."""
import copy
import math
import os
import tempfile

import numpy as np
import torch
import torch.nn.functional as F

import seeded
from cases import published
from cases.common import tensor_table
from tolerance import tolerance_block

CASE = "dinov2-resample"
KIND = "dinov2-resample"
NEEDS = {"upstream": ["timm"]}
MODEL = "vit_base_patch14_dinov2.lvd142m"
ORIGINAL = {"pretrained": False, "embed_dim": 64, "depth": 2, "num_heads": 4}
RESAMPLED = {"pretrained": True, "img_size": 64, "patch_size": 16, "embed_dim": 64, "depth": 2, "num_heads": 4,
             "pretrained_cfg_overlay": {"file": "<weights.safetensors as a torch .pth>"}}
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)
FILES = ["timm/models/vision_transformer.py", "timm/layers/patch_embed.py", "timm/layers/pos_embed.py", "timm/models/_builder.py"]


def interpolation_weights(old, new):
    """[new, old]: row i holds the weights F.interpolate(bicubic, antialias=True) gives output i (float64)."""
    basis = torch.eye(old, dtype=torch.float64).reshape(old, 1, 1, old)
    return F.interpolate(basis, size=(1, new), mode="bicubic", antialias=True, align_corners=False).reshape(old, new).T


def seeded_weights(model, seed):
    generator = torch.Generator().manual_seed(seed)
    normal = lambda shape: torch.randn(shape, generator=generator, dtype=torch.float32)  # noqa: E731
    weights = {}
    for name, value in model.state_dict().items():
        shape = value.shape
        if name == "pos_embed":
            tokens, dim = shape[1], shape[2]
            side = int(round(math.sqrt(tokens - 1)))
            grid = torch.arange(side, dtype=torch.float32) / side
            freq = 1 + torch.arange(dim, dtype=torch.float32) % 4
            phase = torch.arange(dim, dtype=torch.float32) * 0.7
            rows = torch.cos(2 * math.pi * freq * grid[:, None, None] + phase)  # [side, 1, dim]
            cols = torch.sin(2 * math.pi * freq * grid[None, :, None] + phase)  # [1, side, dim]
            smooth = (0.5 * (rows + cols)).reshape(1, side * side, dim)
            value = torch.cat([torch.zeros(1, 1, dim), smooth], dim=1) + 0.1 * normal(shape)
        elif name == "cls_token" or name.endswith(".gamma"):
            value = 0.5 * normal(shape)
        elif name.endswith(".bias"):
            value = 0.05 * normal(shape)
        elif len(shape) == 1:  # LayerNorm weights
            value = 1 + 0.1 * normal(shape)
        else:
            value = normal(shape) / math.sqrt(math.prod(shape[1:]))
        weights[name] = value.numpy()
    return weights


def seeded_case(timm, seed):
    config = {"timm_model_name": MODEL, "create_model_kwargs_original": ORIGINAL, "create_model_kwargs_resampled": RESAMPLED}
    original = timm.create_model(MODEL, **ORIGINAL)
    weights = seeded_weights(original, seed)
    x_01 = seeded.uniform([2, 3, RESAMPLED["img_size"], RESAMPLED["img_size"]], seed + 1)
    x = (x_01 - torch.tensor(IMAGENET_MEAN).reshape(1, 3, 1, 1)) / torch.tensor(IMAGENET_STD).reshape(1, 3, 1, 1)
    return config, weights, {"x": x.numpy(), "x_01": x_01.numpy()}


def resampled64(weights, model, old_grid):
    """The resampled patch kernel and position table in float64 (the twin's weights; timm's own run in float32)."""
    kernel = torch.from_numpy(weights["patch_embed.proj.weight"]).double()
    old, new = kernel.shape[-1], model.patch_embed.proj.weight.shape[-1]
    w = interpolation_weights(old, new).numpy()
    pinv = torch.from_numpy(np.linalg.pinv(np.kron(w, w).T))
    patch = (kernel.reshape(*kernel.shape[:2], -1) @ pinv.T).reshape(*kernel.shape[:2], new, new)
    return patch, pinv, lambda size: pos64(torch.from_numpy(weights["pos_embed"]).double(), old_grid, size, model.num_prefix_tokens)


def pos64(pos, old_grid, size, prefix):
    grid = pos[:, prefix:].reshape(1, old_grid, old_grid, -1).permute(0, 3, 1, 2)
    grid = F.interpolate(grid, size=(size, size), mode="bicubic", antialias=True, align_corners=False)
    return torch.cat([pos[:, :prefix], grid.permute(0, 2, 3, 1).reshape(1, size * size, -1)], dim=1)


def forward(model, x):
    outputs = {}
    hooks = [model.patch_embed.register_forward_hook(lambda _m, _a, out: outputs.setdefault("patch_tokens", out.clone())),
             model.blocks.register_forward_pre_hook(lambda _m, args: outputs.setdefault("embed_with_pos", args[0].clone()))]
    for i, block in enumerate(model.blocks):
        hooks.append(block.register_forward_hook(lambda _m, _a, out, i=i: outputs.setdefault(f"block{i}_out", out.clone())))
    with torch.no_grad():
        features = model.forward_features(x)
    for hook in hooks:
        hook.remove()
    return {"forward_features": features, "tokens": features[:, model.num_prefix_tokens:], **outputs}


def create(timm, config, weights, scratch):
    path = os.path.join(scratch, "weights.pth")
    torch.save({name: torch.from_numpy(value) for name, value in weights.items()}, path)
    kwargs = {name: value for name, value in config["create_model_kwargs_resampled"].items() if name != "pretrained_cfg_overlay"}
    return timm.create_model(config["timm_model_name"], pretrained_cfg_overlay={"file": path}, **kwargs).eval()


def generate(official, seed, source=None):
    with official.upstream.timm() as timm, tempfile.TemporaryDirectory() as scratch:
        from timm.layers import resample_abs_pos_embed, resample_patch_embed

        if source:
            config, weights, inputs = source.json["config"], source.weights, source.inputs
        else:
            config, weights, inputs = seeded_case(timm, seed)
        x = torch.from_numpy(inputs["x"])
        model = create(timm, config, weights, scratch)
        twin = copy.deepcopy(model).double()
        computed = forward(model, x)

        old_pos = torch.from_numpy(weights["pos_embed"])
        old_kernel = weights["patch_embed.proj.weight"].shape[-2:]
        new_kernel = tuple(model.patch_embed.proj.weight.shape[-2:])
        old_grid = int(round((old_pos.shape[1] - model.num_prefix_tokens) ** 0.5))
        identity = torch.eye(old_kernel[0] * old_kernel[1]).reshape(-1, 1, *old_kernel)
        pi = resample_patch_embed(identity, list(new_kernel), interpolation="bicubic", antialias=True)
        grid16 = resample_abs_pos_embed(old_pos, new_size=(16, 16), num_prefix_tokens=model.num_prefix_tokens,
                                        interpolation="bicubic", antialias=True)
        expected = {
            "patch_embed_proj_weight_resampled": model.patch_embed.proj.weight,
            "pos_embed_resampled": model.pos_embed,
            **computed,
            "pos_embed_resampled_grid16": grid16,
            "pi_resize_matrix": pi.reshape(pi.shape[0], -1).T,
            "interp_patch_1d": interpolation_weights(old_kernel[0], new_kernel[0]),
            "interp_pos_1d": interpolation_weights(old_grid, model.patch_embed.grid_size[0]),
            "interp_pos16_1d": interpolation_weights(old_grid, 16),
        }
        if not source:
            patch64, pinv64, pos_at = resampled64(weights, model, old_grid)
            with torch.no_grad():
                twin.patch_embed.proj.weight.copy_(patch64)
                twin.pos_embed.copy_(pos_at(model.patch_embed.grid_size[0]))
            expected64 = {
                "patch_embed_proj_weight_resampled": patch64, "pos_embed_resampled": pos_at(model.patch_embed.grid_size[0]),
                **forward(twin, x.double()),
                "pos_embed_resampled_grid16": pos_at(16), "pi_resize_matrix": pinv64,
                **{name: expected[name] for name in ("interp_patch_1d", "interp_pos_1d", "interp_pos16_1d")},
            }
    expected = {name: value.detach().numpy().astype(np.float32) for name, value in expected.items()}
    if source:
        case_json = published.case_json(source, CASE, ["timm"], {"timm": FILES})
        return case_json, {}, {}, expected, published.copied_files(source, ["weights.safetensors", "inputs.safetensors"])
    tolerance = tolerance_block(expected, {name: value.detach().double().numpy() for name, value in expected64.items()}, rtol=0.0)
    descriptions = {"x": "NCHW ImageNet-normalized image (x_01 - mean) / std, float32", "x_01": "the same images in [0, 1]"}
    case_json = {
        "case": CASE, "kind": KIND, "config": config, "tolerance": tolerance,
        "reference": {**published.reference_block(["timm"], {"timm": FILES}), "timm_version": "0.9.12"},
        "weights": tensor_table(weights, {}), "inputs": tensor_table(inputs, descriptions), "expected": tensor_table(expected, {}),
        "seed": seed,
    }
    return case_json, weights, inputs, expected
