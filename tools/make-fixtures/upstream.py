"""Imports upstream packages that some cases run — timm, torch-fidelity and one file of transformers — from
checkouts of their pinned commits (never installed, never copied here).

- timm (huggingface/pytorch-image-models v0.9.12): the official code gets a stand-in `timm` (official.py),
  so the real one is imported under its own name only while a case runs (`Upstream.timm()`), and the stand-in
  is put back afterwards. Needs torchvision (Debian: python3-torchvision).
- torch-fidelity (toshas/torch-fidelity at the commit the published cases name): imported the same way (the
  official code gets an empty stand-in for it). Needs torchvision and tqdm (Debian: python3-torchvision,
  python3-tqdm).
- transformers: only src/transformers/models/dinov2/convert_dinov2_to_hf.py is run (its create_rename_keys and
  read_in_q_k_v), so a folder with that one file is enough. Its module-level imports (transformers' model classes,
  huggingface_hub, PIL, torchvision) serve the parts that download and compare a model, which no case calls: while
  the file is imported they are empty stand-ins (the file is loaded on its own, not as part of transformers).
"""
import contextlib
import importlib
import importlib.util
import os
import sys
import types

TIMM_REPO = "github.com/huggingface/pytorch-image-models"
TIMM_COMMIT = "b996c1a0f5068e7f5dfe69429e59e873536754c9"  # tag v0.9.12
TIMM_VERSION = "0.9.12"
FIDELITY_REPO = "github.com/toshas/torch-fidelity"
FIDELITY_COMMIT = "5e211a950a7b45206bd4976813ffd6aed6cf4ccc"  # 0.4.0 line
FIDELITY_VERSION = "0.4.0"
TRANSFORMERS_REPO = "github.com/huggingface/transformers"
TRANSFORMERS_COMMIT = "06fefc4d4fec6025a798bfac282af3a3884a11fc"
TRANSFORMERS_DINOV2 = "src/transformers/models/dinov2/convert_dinov2_to_hf.py"


def _get(repo, commit, folder):
    return f"git clone https://{repo} {folder} && git -C {folder} checkout {commit[:7]}"


GET_TIMM = _get(TIMM_REPO, TIMM_COMMIT, "timm")
GET_FIDELITY = _get(FIDELITY_REPO, FIDELITY_COMMIT, "torch-fidelity")
GET_TRANSFORMERS = _get(TRANSFORMERS_REPO, TRANSFORMERS_COMMIT, "transformers")

# What each checkout must hold (a folder with these files is enough).
FILES = {
    "timm": ["timm/__init__.py", "timm/version.py", "timm/models/vision_transformer.py", "timm/layers/patch_embed.py", "timm/layers/pos_embed.py"],
    "fidelity": ["torch_fidelity/__init__.py", "torch_fidelity/version.py", "torch_fidelity/feature_extractor_inceptionv3.py",
                 "torch_fidelity/metric_fid.py", "torch_fidelity/metric_isc.py", "torch_fidelity/metric_kid.py"],
    "transformers": [TRANSFORMERS_DINOV2],
}
FLAGS = {"timm": ("--timm", "PIXELREPA_TIMM", GET_TIMM),
         "fidelity": ("--fidelity", "PIXELREPA_FIDELITY", GET_FIDELITY),
         "transformers": ("--transformers", "PIXELREPA_TRANSFORMERS", GET_TRANSFORMERS)}
# Python modules each upstream package imports (Debian package names in docs/fixtures.md).
PYTHON = {"timm": ["torchvision"], "fidelity": ["torchvision", "tqdm"], "transformers": []}


def reference(name):
    repo, commit = {"timm": (TIMM_REPO, TIMM_COMMIT), "fidelity": (FIDELITY_REPO, FIDELITY_COMMIT),
                    "transformers": (TRANSFORMERS_REPO, TRANSFORMERS_COMMIT)}[name]
    return {"repo": repo, "commit": commit}


class Upstream:
    NAMES = {"timm": f"timm {TIMM_VERSION}", "fidelity": f"torch-fidelity {FIDELITY_VERSION}", "transformers": "transformers' convert_dinov2_to_hf.py"}

    def __init__(self, timm=None, fidelity=None, transformers=None):
        self.folders = {name: os.path.abspath(value) if value else None
                        for name, value in (("timm", timm), ("fidelity", fidelity), ("transformers", transformers))}
        self._real = {}  # package name → its sys.modules entries, once imported

    def has(self, name):
        folder = self.folders[name]
        return folder is not None and all(os.path.isfile(os.path.join(folder, path)) for path in FILES[name])

    def lacking(self, name):
        flag, env, get = FLAGS[name]
        return f"a checkout of {reference(name)['repo']} at {reference(name)['commit'][:7]} ({flag} or {env}; {get})"

    def _require(self, name):
        if not self.has(name):
            raise SystemExit(f"make-fixtures: needs {self.lacking(name)}")
        return self.folders[name]

    @contextlib.contextmanager
    def _package(self, package, folder, version):
        """`package` imported from `folder` while the block runs; whatever sys.modules held under that name
        (a stand-in) is put back afterwards."""
        saved = {name: module for name, module in sys.modules.items() if name == package or name.startswith(package + ".")}
        for name in saved:
            del sys.modules[name]
        sys.path.insert(0, folder)
        try:
            if package in self._real:
                sys.modules.update(self._real[package])
            module = importlib.import_module(package)
            if not os.path.abspath(module.__file__).startswith(folder + os.sep):
                raise SystemExit(f"make-fixtures: {package} was imported from {module.__file__}, not from {folder}")
            if getattr(module, "__version__", None) != version:
                raise SystemExit(f"make-fixtures: {folder} holds {package} {getattr(module, '__version__', '?')}, not {version}")
            yield module
        finally:
            self._real[package] = {name: module for name, module in sys.modules.items() if name == package or name.startswith(package + ".")}
            for name in self._real[package]:
                del sys.modules[name]
            sys.modules.update(saved)
            sys.path.remove(folder)

    def timm(self):
        return self._package("timm", self._require("timm"), TIMM_VERSION)

    def fidelity(self):
        return self._package("torch_fidelity", self._require("fidelity"), FIDELITY_VERSION)

    def dinov2_conversion(self):
        """transformers' convert_dinov2_to_hf.py as a module (its functions; nothing of it runs on import but
        logging set-up, which the stand-in absorbs)."""
        path = os.path.join(self._require("transformers"), TRANSFORMERS_DINOV2)
        names = ("transformers", "transformers.image_utils", "transformers.utils", "transformers.utils.logging",
                 "huggingface_hub", "huggingface_hub.utils", "PIL", "PIL.Image", "torchvision", "torchvision.transforms")
        stand_ins = {name: _stand_in(name) for name in names}
        saved = {name: sys.modules[name] for name in stand_ins if name in sys.modules}
        sys.modules.update(stand_ins)
        for name in names:  # `from a import b` with b a stand-in sub-module
            parent, _, child = name.rpartition(".")
            if parent:
                setattr(stand_ins[parent], child, stand_ins[name])
        try:
            spec = importlib.util.spec_from_file_location("transformers_convert_dinov2_to_hf", path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
        finally:
            for name in stand_ins:
                del sys.modules[name]
            sys.modules.update(saved)
        return module


class _Anything:
    """Any attribute, any call: the names the conversion file imports but no case uses."""

    def __init__(self, name):
        self._name = name

    def __getattr__(self, attribute):
        return _Anything(f"{self._name}.{attribute}")

    def __call__(self, *_args, **_kwargs):
        return _Anything(f"{self._name}()")


def _stand_in(name):
    module = types.ModuleType(name)
    module.__getattr__ = lambda attribute: _Anything(f"{name}.{attribute}")
    return module
