"""dinov2-preprocess: the encoder input of the official Denoiser.forward_mta: Denormalize(0.5, 0.5) then
Normalize(ImageNet) (`rescaled`), then the bilinear resize to repa_image_size (`repa_x`), for an image
smaller (upsampling) and one larger (downsampling) than repa_image_size. Both are read from
forward_mta's locals, run on a tiny Denoiser whose image size is the input's."""
import torch

import seeded
from cases import denoiser_common as dc
from cases.common import reference_block, run_both, tensor_table

CASE = "dinov2-preprocess"
KIND = "dinov2-preprocess"
NEEDS = {"official": dc.jit_reference_files()}
REPA_IMAGE_SIZE = 64
SIZES = {"x": 32, "x_down": 96}


def tiny_denoiser(official, size, repa_image_size):
    patch = size // 4
    jit = dict(input_size=size, patch_size=patch, in_channels=3, hidden_size=16, depth=1, num_heads=1, mlp_ratio=1.0,
               attn_drop=0.0, proj_drop=0.0, num_classes=2, bottleneck_dim=8, in_context_len=1, in_context_start=0)
    mta = dict(input_size=size, patch_size=patch, in_channels=3, out_channels=8, hidden_size=16, depth=1, num_heads=1,
               mlp_ratio=1.0, in_context_len=1, num_classes=2)
    return dc.build_denoiser(official, jit, mta, {"t_eps": 0.05, "noise_scale": 1.0, "repa_image_size": repa_image_size}).eval()


def generate(official, seed, source=None):
    config = source.json["config"] if source else {
        "pipeline": ["denoiser_pixelREPA.Denormalize(mean=[0.5]*3, std=[0.5]*3)", "denoiser_pixelREPA.Normalize(ImageNet mean/std)",
                     "if (H, W) != (repa_image_size,)*2: F.interpolate(size, mode='bilinear', align_corners=False)"],
        "source": "denoiser_pixelREPA.Denoiser.forward_mta (its locals rescale_x and repa_x)",
        "repa_image_size": REPA_IMAGE_SIZE,
    }
    size = config["repa_image_size"]
    if source:
        inputs = {name: torch.from_numpy(value) for name, value in source.inputs.items()}
    else:
        inputs = {name: seeded.uniform([2, 3, side, side], seed + i, -1.0, 1.0) for i, (name, side) in enumerate(SIZES.items())}
        for image in inputs.values():
            image[0, 0, 0, :2] = torch.tensor([-1.0, 1.0])  # both ends of the range
    models = {name: tiny_denoiser(official, value.shape[-1], size) for name, value in inputs.items()}
    cls = type(next(iter(models.values())))

    def run(module, values):
        outputs = {}
        for name, image in values.items():
            model = module[name]
            n, side = image.shape[0], image.shape[-1]
            grid = side // model.patch_size
            model.repa_model.features = torch.zeros(n, grid * grid, model.repa_z_dim, dtype=image.dtype)
            tokens = torch.zeros(n, grid * grid, model.net.mask_token.shape[-1], dtype=image.dtype)
            t = torch.full((n, 1, 1, 1), 0.5, dtype=image.dtype)
            draws = [("rand", torch.rand(n, 1, grid, grid, generator=torch.Generator().manual_seed(0), dtype=image.dtype))]
            with dc.supplied_draws(draws), dc.captured_locals({"forward_mta": cls.forward_mta}) as calls:
                model.forward_mta(image, tokens, torch.zeros(n, dtype=torch.long), t)
            local, _ = calls["forward_mta"][-1]
            suffix = name[1:]
            outputs[f"rescaled{suffix}"] = local["rescale_x"]
            outputs[f"repa_x{suffix}"] = local["repa_x"]
        return outputs

    expected, _, tolerance = run_both(torch.nn.ModuleDict(models), inputs, run, rtol=0.0)
    input_arrays = {name: value.numpy() for name, value in inputs.items()}
    descriptions = {name: f"[B,3,H,W] NCHW generator-space image in [-1,1] ({'down' if value.shape[-1] > size else 'up'}sampling to {size})"
                    for name, value in input_arrays.items()}
    for name in expected:
        descriptions[name] = "Normalize(Denormalize(x)) before resize" if name.startswith("rescaled") else f"the encoder input, resized to {size}"
    case_json = {
        "case": CASE, "kind": KIND, "config": config, "tolerance": tolerance, "reference": reference_block(NEEDS["official"]),
        "inputs": tensor_table(input_arrays, descriptions), "expected": tensor_table(expected, descriptions),
        "seed": None if source else seed,
    }
    return case_json, {}, input_arrays, expected
