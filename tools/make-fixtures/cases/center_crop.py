"""center-crop: the official util/crop.py center_crop_arr (ADM: PIL BOX halvings, then BICUBIC to the
size, then the centre square) of three RGB images at each size, with every intermediate resize
(recorded from PIL's Image.resize while the official function runs)."""
import numpy as np
import torch

import seeded
from official import PINNED_COMMIT

CASE = "center-crop"
KIND = "center-crop"
NEEDS = {"official": ["util/crop.py"], "python": ["PIL"]}
SIZES = [256, 64]
# Seeded images: the shapes of the published photos (halvings, a downscale and an upscale at 256).
SHAPES = {"img0": (1201, 800), "img1": (399, 600), "img2": (200, 720)}
TOLERANCE = {
    "atol": 1, "rtol": 0, "max_abs_diff_levels": 1, "mean_abs_diff_bound": 0.01, "exact_expected_for_fixed_point_implementations": True,
    "how": "PIL resamples in fixed point (22-bit coefficients, uint8 between passes); a float resampler may differ by 1 level on a few pixels",
}


def seeded_image(height, width, seed):
    """Smooth colour gradients and a few hard edges, plus noise: something for the filters to do."""
    y = torch.linspace(0, 1, height).view(-1, 1, 1)
    x = torch.linspace(0, 1, width).view(1, -1, 1)
    phase = torch.tensor([0.0, 2.0, 4.0]).view(1, 1, 3)
    smooth = 0.5 + 0.35 * torch.sin(6.0 * x + 4.0 * y + phase) * torch.cos(3.0 * y - 2.0 * x + phase)
    edges = ((x * 7).floor() + (y * 5).floor()) % 2 * 0.15
    noise = 0.08 * seeded.normal([height, width, 3], seed)
    return ((smooth + edges + noise).clamp(0, 1) * 255).round().to(torch.uint8).numpy()


def generate(official, seed, source=None):
    from PIL import Image

    crop = official.module("util.crop")
    config = source.json["config"] if source else {"function": "PixelREPA util/crop.py: center_crop_arr(pil_image, image_size) (ADM)", "sizes": SIZES}
    if source:
        inputs = dict(source.inputs)
    else:
        inputs = {name: seeded_image(height, width, seed + i) for i, (name, (height, width)) in enumerate(SHAPES.items())}
    expected, calls = {}, {}
    resize = Image.Image.resize
    for name, array in inputs.items():
        for size in config["sizes"]:
            stages = []

            def recording(self, *args, **kwargs):
                result = resize(self, *args, **kwargs)
                stages.append((self.size, result))
                return result

            Image.Image.resize = recording
            try:
                cropped = crop.center_crop_arr(Image.fromarray(array), size)
            finally:
                Image.Image.resize = resize
            key = f"{name}_crop{size}"
            expected[key] = np.array(cropped)
            for i, (_, image) in enumerate(stages):
                expected[f"{key}_stage{i}"] = np.array(image)
            calls[key] = [{"in_size_wh": list(before), "out_size_wh": list(image.size)} for before, image in stages]
    if not source:
        config["resize_calls"] = calls
    import PIL
    case_json = {
        "case": CASE, "kind": KIND, "config": config, "tolerance": source.json["tolerance"] if source else TOLERANCE,
        "reference": {"pixelrepa": {"commit": PINNED_COMMIT, "files": NEEDS["official"]}, "pillow": PIL.__version__,
                      "generator": "tools/make-fixtures (npm run make-fixtures)"},
        "inputs": {name: {"dtype": "U8", "shape": list(value.shape), "layout": "HWC RGB"} for name, value in inputs.items()},
        "expected": {name: {"dtype": "U8", "shape": list(value.shape), "layout": "HWC RGB"} for name, value in expected.items()},
        "seed": None if source else seed,
    }
    return case_json, {}, inputs, expected
