"""Imports the official PixelREPA code (kaist-cvml/PixelREPA at the pinned commit) from a folder.

The official files are used as they are; only what a CPU-only, minimal install lacks is stood in:
- `einops` (rearrange / repeat with the three patterns util/model_util.py uses), when not installed;
- `torch.compile` (absent before torch 2.0) as the identity decorator;
- `torch.Tensor.cuda` as the identity (the RoPE tables call .cuda() at construction);
- `timm` (denoiser_pixelREPA imports create_model; the cases here build the pieces themselves).
"""
import importlib
import os
import sys
import types

import torch

PINNED_COMMIT = "5181608138853594a647fbbd07d853d2894ec341"
OFFICIAL_FILES = ["model_pixelREPA.py", "util/model_util.py"]


def _einops_stand_in():
    module = types.ModuleType("einops")

    def rearrange(x, pattern, r=None):
        if pattern == "... (d r) -> ... d r":
            return x.reshape(*x.shape[:-1], x.shape[-1] // r, r)
        if pattern == "... d r -> ... (d r)":
            return x.reshape(*x.shape[:-2], x.shape[-2] * x.shape[-1])
        raise NotImplementedError(f"einops stand-in: pattern {pattern!r}")

    def repeat(x, pattern, r=None):
        if pattern == "... n -> ... (n r)":
            return x.unsqueeze(-1).expand(*x.shape, r).reshape(*x.shape[:-1], x.shape[-1] * r)
        raise NotImplementedError(f"einops stand-in: pattern {pattern!r}")

    module.rearrange = rearrange
    module.repeat = repeat
    return module


def load_official(folder):
    """The official `model_pixelREPA` module, imported from `folder` (a checkout of the pinned commit)."""
    folder = os.path.abspath(folder)
    missing = [name for name in OFFICIAL_FILES if not os.path.isfile(os.path.join(folder, name))]
    if missing:
        raise SystemExit(
            f"make-fixtures: {folder} is not a PixelREPA checkout (missing {', '.join(missing)}). Get it with\n"
            f"  git clone https://github.com/kaist-cvml/PixelREPA && git -C PixelREPA checkout {PINNED_COMMIT[:7]}"
        )
    try:
        importlib.import_module("einops")
    except ImportError:
        sys.modules["einops"] = _einops_stand_in()
    if not hasattr(torch, "compile"):
        torch.compile = lambda fn=None, **_: fn if fn is not None else (lambda f: f)
    torch.Tensor.cuda = lambda self, *args, **kwargs: self
    if "timm" not in sys.modules:
        timm = types.ModuleType("timm")
        timm.create_model = lambda *args, **kwargs: (_ for _ in ()).throw(RuntimeError("timm stand-in: create_model is not available"))
        sys.modules["timm"] = timm
    sys.path.insert(0, folder)
    try:
        return importlib.import_module("model_pixelREPA")
    finally:
        sys.path.remove(folder)
