"""Imports the official PixelREPA code (kaist-cvml/PixelREPA at the pinned commit) and REPA
(sihyun-yu/REPA at its pinned commit) from folders.

The official files are used as they are; only what a CPU-only, minimal install lacks is stood in:
- `einops` (rearrange / repeat with the three patterns util/model_util.py uses), when not installed;
- `torch.compile` (absent before torch 2.0) as the identity decorator;
- `torch.Tensor.cuda` as the identity (the RoPE tables call .cuda() at construction),
  `torch.cuda.synchronize` as a no-op and, without CUDA, `torch.cuda.is_bf16_supported` as True
  (engine_pixelREPA.train_one_epoch calls them; torch itself then disables the CUDA autocast);
- `timm`: `create_model` returns whatever encoder the running case installed (`Official.encoder`):
  the cases replace DINOv2 by a stand-in that returns supplied features; `timm.models.vision_transformer`
  (REPA's models/sit.py imports three classes from it; the cases use only its build_mlp);
- `cv2` and `torch_fidelity` (engine_pixelREPA imports them for evaluate(), which no case calls).
The cases that run the real timm and torch-fidelity import them from checkouts (upstream.py), which puts
these stand-ins back when they are done.
"""
import importlib
import os
import sys
import types
import warnings

import torch

PINNED_COMMIT = "5181608138853594a647fbbd07d853d2894ec341"
REPA_COMMIT = "67f714503e3892f993844aab088ffc5791c92613"
OFFICIAL_REPO = "github.com/kaist-cvml/PixelREPA"
REPA_REPO = "github.com/sihyun-yu/REPA"
GET_OFFICIAL = f"git clone https://{OFFICIAL_REPO} && git -C PixelREPA checkout {PINNED_COMMIT[:7]}"
GET_REPA = f"git clone https://{REPA_REPO} && git -C REPA checkout {REPA_COMMIT[:7]}"


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


def _unused(name):
    def fail(*_args, **_kwargs):
        raise RuntimeError(f"make-fixtures stand-in: {name} is not available here")
    return fail


class Official:
    """The official code found in `folder` (and REPA in `repa`, optional). `official.X` is
    `model_pixelREPA.X`; `official.module("engine_pixelREPA")` imports any other official file."""

    def __init__(self, folder, repa=None):
        self.folder = os.path.abspath(folder) if folder else None
        self.repa = os.path.abspath(repa) if repa else None
        self.encoder = None  # what timm.create_model returns while a case builds a Denoiser
        self._install_stand_ins()
        self._model = None

    def has(self, files):
        return self.folder is not None and all(os.path.isfile(os.path.join(self.folder, name)) for name in files)

    def has_repa(self, files):
        return self.repa is not None and all(os.path.isfile(os.path.join(self.repa, name)) for name in files)

    def _install_stand_ins(self):
        try:
            importlib.import_module("einops")
        except ImportError:
            sys.modules["einops"] = _einops_stand_in()
        if not hasattr(torch, "compile"):
            torch.compile = lambda fn=None, **_: fn if fn is not None else (lambda f: f)
        torch.Tensor.cuda = lambda self, *args, **kwargs: self
        torch.cuda.synchronize = lambda *args, **kwargs: None
        if not torch.cuda.is_available():
            # engine_pixelREPA runs the model under autocast('cuda', bfloat16): without CUDA torch disables
            # it (float32, as the cases state) but first asks the absent device about bfloat16.
            torch.cuda.is_bf16_supported = lambda: True
            warnings.filterwarnings("ignore", message="User provided device_type of 'cuda', but CUDA is not available")
        if "timm" not in sys.modules:
            timm = types.ModuleType("timm")
            timm.create_model = self._create_model
            models = types.ModuleType("timm.models")
            vit = types.ModuleType("timm.models.vision_transformer")
            for name in ("PatchEmbed", "Attention", "Mlp"):
                setattr(vit, name, _unused(f"timm.models.vision_transformer.{name}"))
            timm.models, models.vision_transformer = models, vit
            sys.modules.update({"timm": timm, "timm.models": models, "timm.models.vision_transformer": vit})
        for name in ("cv2", "torch_fidelity"):
            if name not in sys.modules:
                try:
                    importlib.import_module(name)
                except ImportError:
                    sys.modules[name] = types.ModuleType(name)

    def _create_model(self, *_args, **_kwargs):
        if self.encoder is None:
            raise RuntimeError("timm stand-in: create_model is only available while a case supplies the encoder")
        return self.encoder

    def module(self, name, files=None):
        """Imports official `name` (e.g. "denoiser_pixelREPA", "util.lr_sched") from the checkout."""
        path = name.replace(".", "/") + ".py"
        if not self.has([path]):
            raise SystemExit(f"make-fixtures: {self.folder} has no {path}: a full checkout of {OFFICIAL_REPO} at {PINNED_COMMIT[:7]} is needed:\n  {GET_OFFICIAL}")
        if self.folder not in sys.path:
            sys.path.insert(0, self.folder)
        return importlib.import_module(name)

    def repa_module(self, name):
        """Imports REPA's `name` (e.g. "loss", "models.sit") from the REPA checkout, under a private name."""
        path = name.replace(".", "/") + ".py"
        if not self.has_repa([path]):
            raise SystemExit(f"make-fixtures: no REPA checkout with {path} (--repa or PIXELREPA_REPA):\n  {GET_REPA}")
        import importlib.util
        spec = importlib.util.spec_from_file_location(f"repa_{name.replace('.', '_')}", os.path.join(self.repa, path))
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        if self._model is None:
            self._model = self.module("model_pixelREPA")
        return getattr(self._model, name)
