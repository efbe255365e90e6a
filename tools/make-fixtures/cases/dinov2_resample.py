"""dinov2-resample: timm 0.9.12's own load-time resampling of DINOv2 (vit_base_patch14_dinov2.lvd142m, shrunk
by the case's create_model kwargs): timm.create_model(..., pretrained=True, img_size=64, patch_size=16,
pretrained_cfg_overlay={"file": <the published weights as a torch .pth>}) loads the patch-14 / 518-px checkpoint
through checkpoint_filter_fn, which PI-resizes the patch embedding (resample_patch_embed) and resizes the
position table (resample_abs_pos_embed). The expected tensors are the created model's parameters and its
forward_features (with forward hooks on patch_embed and the blocks for the intermediate values); the 16x16
position table and the PI-resize matrix are the same timm functions called directly (the matrix: identity
kernels through resample_patch_embed); the 1-D weights are torch's F.interpolate (bicubic, antialias, the call
timm makes) of identity rows, in float64. Only --from (the published weights and inputs)."""
import os
import tempfile

import numpy as np
import torch
import torch.nn.functional as F

from cases import published

CASE = "dinov2-resample"
KIND = "dinov2-resample"
NEEDS = {"upstream": ["timm"], "from_only": True}
FILES = ["timm/models/vision_transformer.py", "timm/layers/patch_embed.py", "timm/layers/pos_embed.py", "timm/models/_builder.py"]


def interpolation_weights(old, new):
    """[new, old]: row i holds the weights F.interpolate(bicubic, antialias=True) gives output i (float64)."""
    basis = torch.eye(old, dtype=torch.float64).reshape(old, 1, 1, old)
    return F.interpolate(basis, size=(1, new), mode="bicubic", antialias=True, align_corners=False).reshape(old, new).T


def create(timm, config, weights, scratch):
    path = os.path.join(scratch, "weights.pth")
    torch.save({name: torch.from_numpy(value) for name, value in weights.items()}, path)
    kwargs = {name: value for name, value in config["create_model_kwargs_resampled"].items() if name != "pretrained_cfg_overlay"}
    return timm.create_model(config["timm_model_name"], pretrained_cfg_overlay={"file": path}, **kwargs).eval()


def generate(official, seed, source=None):
    published.require_source(CASE, source)
    config = source.json["config"]
    x = torch.from_numpy(source.inputs["x"])
    with official.upstream.timm() as timm, tempfile.TemporaryDirectory() as scratch:
        from timm.layers import resample_abs_pos_embed, resample_patch_embed

        model = create(timm, config, source.weights, scratch)
        outputs = {}
        hooks = [model.patch_embed.register_forward_hook(lambda _m, _a, out: outputs.setdefault("patch_tokens", out.clone())),
                 model.blocks.register_forward_pre_hook(lambda _m, args: outputs.setdefault("embed_with_pos", args[0].clone()))]
        for i, block in enumerate(model.blocks):
            hooks.append(block.register_forward_hook(lambda _m, _a, out, i=i: outputs.setdefault(f"block{i}_out", out.clone())))
        with torch.no_grad():
            features = model.forward_features(x)
        for hook in hooks:
            hook.remove()

        old_pos = torch.from_numpy(source.weights["pos_embed"])
        old_kernel = source.weights["patch_embed.proj.weight"].shape[-2:]
        new_kernel = tuple(model.patch_embed.proj.weight.shape[-2:])
        old_grid = int(round((old_pos.shape[1] - model.num_prefix_tokens) ** 0.5))
        identity = torch.eye(old_kernel[0] * old_kernel[1]).reshape(-1, 1, *old_kernel)
        pi = resample_patch_embed(identity, list(new_kernel), interpolation="bicubic", antialias=True)
        grid16 = resample_abs_pos_embed(old_pos, new_size=(16, 16), num_prefix_tokens=model.num_prefix_tokens,
                                        interpolation="bicubic", antialias=True)
        expected = {
            "patch_embed_proj_weight_resampled": model.patch_embed.proj.weight,
            "pos_embed_resampled": model.pos_embed,
            "forward_features": features,
            "tokens": features[:, model.num_prefix_tokens:],
            **outputs,
            "pos_embed_resampled_grid16": grid16,
            "pi_resize_matrix": pi.reshape(pi.shape[0], -1).T,
            "interp_patch_1d": interpolation_weights(old_kernel[0], new_kernel[0]),
            "interp_pos_1d": interpolation_weights(old_grid, model.patch_embed.grid_size[0]),
            "interp_pos16_1d": interpolation_weights(old_grid, 16),
        }
    expected = {name: value.detach().numpy().astype(np.float32) for name, value in expected.items()}
    case_json = published.case_json(source, CASE, ["timm"], {"timm": FILES})
    return case_json, {}, {}, expected, published.copied_files(source, ["weights.safetensors", "inputs.safetensors"])
