"""What the Denoiser cases share: the official denoiser_pixelREPA.Denoiser built around a small JiT and
adapter, with DINOv2 replaced by supplied features, its random draws supplied, and its locals read.

- The official constructor is called as it is: `JiT_models` / `MaskedTransformerAdapter_models` get an
  entry for the case's small configuration, and timm's `create_model` (stood in, official.py) returns
  `SuppliedEncoder`, whose `forward_features` returns [one prefix token of 100 | the supplied features].
- `supplied_draws` makes torch.rand / torch.randn / torch.randn_like return the case's draws in the
  order the official code makes them (checked by shape), so the case records them as inputs.
- `captured_locals` reads the official functions' local variables when they return (sys.setprofile),
  so intermediate values are the official ones, not recomputed here.
"""
import argparse
import contextlib
import inspect
import sys

import torch

ENCODER_PREFIX_VALUE = 100.0
FIXTURE_MODEL = "make-fixtures"


class SuppliedEncoder(torch.nn.Module):
    """Stands in for the DINOv2 encoder: the features come from the case (`features`)."""

    num_prefix_tokens = 1

    def __init__(self, embed_dim):
        super().__init__()
        self.embed_dim = embed_dim
        self.features = None  # a tensor, or a list of tensors returned one per call
        self.seen = []  # the images it was given (repa_x)

    def forward_features(self, x):
        self.seen.append(x.detach().clone())
        features = (self.features.pop(0) if isinstance(self.features, list) else self.features).to(x.dtype)
        prefix = torch.full((features.shape[0], self.num_prefix_tokens, features.shape[2]), ENCODER_PREFIX_VALUE, dtype=x.dtype)
        return torch.cat([prefix, features], dim=1)


def build_denoiser(official, jit, mta, denoiser, sampling=None, ema=(0.9999, 0.9999)):
    """The official Denoiser(args) for a JiT constructor `jit`, an adapter constructor `mta` and the
    case's denoiser settings (t_eps, noise_scale, P_mean, P_std, label_drop_prob, patch_mask_ratio, repa_image_size)."""
    module = official.module("denoiser_pixelREPA")
    models = official.module("model_pixelREPA")
    models.JiT_models[FIXTURE_MODEL] = lambda **kwargs: models.JiT(**{**jit, **kwargs})
    models.MaskedTransformerAdapter_models[FIXTURE_MODEL] = lambda **kwargs: models.MaskedTransformerAdapter(**{**mta, **kwargs})
    sampling = sampling or {"sampling_method": "euler", "num_sampling_steps": 1, "cfg": 1.0, "cfg_interval": [0.0, 1.0]}
    args = argparse.Namespace(
        model=FIXTURE_MODEL, mta=FIXTURE_MODEL, img_size=jit["input_size"], class_num=jit["num_classes"],
        attn_dropout=jit.get("attn_drop", 0.0), proj_dropout=jit.get("proj_drop", 0.0),
        repa_model="supplied", repa_image_size=denoiser.get("repa_image_size", jit["input_size"]), repa_patch_size=jit["patch_size"],
        patch_mask_ratio=denoiser.get("patch_mask_ratio", 0.0), label_drop_prob=denoiser.get("label_drop_prob", 0.0),
        P_mean=denoiser.get("P_mean", -0.8), P_std=denoiser.get("P_std", 0.8), t_eps=denoiser["t_eps"], noise_scale=denoiser["noise_scale"],
        ema_decay1=ema[0], ema_decay2=ema[1],
        sampling_method=sampling["sampling_method"], num_sampling_steps=sampling["num_sampling_steps"], cfg=sampling["cfg"],
        interval_min=sampling["cfg_interval"][0], interval_max=sampling["cfg_interval"][1],
    )
    official.encoder = SuppliedEncoder(mta["out_channels"])
    try:
        return module.Denoiser(args)
    finally:
        official.encoder = None


@contextlib.contextmanager
def supplied_draws(draws):
    """torch.rand / torch.randn / torch.randn_like return `draws` ([(function name, tensor)], in order)."""
    queue = list(draws)
    saved = {name: getattr(torch, name) for name in ("rand", "randn", "randn_like")}

    def supplier(name):
        def draw(*args, **kwargs):
            if not queue:
                raise RuntimeError(f"make-fixtures: the official code drew torch.{name} once more than the case supplies")
            wanted, value = queue.pop(0)
            shape = tuple(args[0].shape) if name == "randn_like" else tuple(args[0] if len(args) == 1 and isinstance(args[0], (tuple, list, torch.Size)) else args)
            if wanted != name or tuple(value.shape) != shape:
                raise RuntimeError(f"make-fixtures: the official code drew torch.{name}{shape}, the case supplies torch.{wanted}{tuple(value.shape)}")
            return value.clone()
        return draw

    for name in saved:
        setattr(torch, name, supplier(name))
    try:
        yield queue
    finally:
        for name, function in saved.items():
            setattr(torch, name, function)
    if queue:
        raise RuntimeError(f"make-fixtures: {len(queue)} supplied draws were not used by the official code")


@contextlib.contextmanager
def captured_locals(functions):
    """Records, for each function of `functions` (name → function, decorators unwrapped), every return:
    calls[name] = [(locals, return value)], and calls["*"] = [(name, locals, return value)] in call order."""
    codes = {inspect.unwrap(function).__code__: name for name, function in functions.items()}
    calls = {name: [] for name in functions}
    calls["*"] = []
    previous = sys.getprofile()

    def profile(frame, event, arg):
        if event == "return" and frame.f_code in codes:
            name = codes[frame.f_code]
            calls[name].append((dict(frame.f_locals), arg))
            calls["*"].append((name, calls[name][-1][0], arg))

    sys.setprofile(profile)
    try:
        yield calls
    finally:
        sys.setprofile(previous)


def jit_reference_files():
    return ["model_pixelREPA.py", "denoiser_pixelREPA.py", "util/model_util.py"]
