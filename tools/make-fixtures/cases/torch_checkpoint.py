"""torch-checkpoint: a checkpoint written by the official util/misc.save_model (torch.save of model /
optimizer / epoch / args / model_ema1 / model_ema2) from a small Denoiser that also holds the edge
cases a reader must handle (a strided, offset view sharing its storage with a sibling; bf16, f16,
i64, bool and u8 tensors; a 0-d tensor), and `malicious.pth`, a checkpoint whose pickle calls
os.system through REDUCE (written by pickling, never executed). expected.safetensors holds every
tensor leaf as torch.load reads it back, under dotted paths (bf16 widened to F32, bool as U8)."""
import argparse
import io
import os
import tempfile

import numpy as np
import torch

import seeded
from cases import denoiser_common as dc
from cases.pixelrepa_loss import DENOISER, JIT, MTA, seeded_denoiser

CASE = "torch-checkpoint"
KIND = "torch-checkpoint"
NEEDS = {"official": [*dc.jit_reference_files(), "util/misc.py"]}
EPOCH = 599
# The checker checks these non-tensor leaves (its prose lists them).
ARGS = dict(model="JiT-B/16", mta="MTA-B/16", img_size=256, blr=5e-05, P_mean=-0.8, P_std=0.8, cfg=3.1, interval_min=0.1, interval_max=1.0,
            class_num=1000, output_dir="./output_dir")
ADAMW = dict(lr=0.0002, betas=(0.9, 0.95), weight_decay=0.0)
MALICIOUS_COMMAND = "echo PWNED > /tmp/pixelrepa-pwned"


class _Malicious:
    """Pickles as GLOBAL posix.system + REDUCE (what a hostile checkpoint does); never unpickled here."""

    def __reduce__(self):
        return (os.system, (MALICIOUS_COMMAND,))


def flatten(tree, prefix=""):
    """Every tensor leaf of nested dicts / lists under a dotted path, as numpy (bf16 → float32, bool → uint8)."""
    leaves = {}
    items = tree.items() if isinstance(tree, dict) else enumerate(tree) if isinstance(tree, (list, tuple)) else []
    for key, value in items:
        path = f"{prefix}{key}"
        if torch.is_tensor(value):
            value = value.detach()
            if value.dtype == torch.bfloat16:
                value = value.float()
            elif value.dtype == torch.bool:
                value = value.to(torch.uint8)
            leaves[path] = value.contiguous().numpy().copy()
        else:
            leaves.update(flatten(value, f"{path}."))
    return leaves


def edge_cases(model, seed):
    """Buffers under view.*, dtype.* and scalar.* (submodules of the Denoiser, so they are in its state_dict)."""
    base = seeded.normal([48], seed)
    holders = {name: torch.nn.Module() for name in ("view", "dtype", "scalar")}
    holders["view"].register_buffer("sibling", base[:10])
    holders["view"].register_buffer("transposed", base.as_strided((6, 4), (1, 10), 12))
    holders["dtype"].register_buffer("bf16", seeded.normal([3, 5], seed + 1).to(torch.bfloat16))
    holders["dtype"].register_buffer("f16", seeded.normal([4], seed + 2).to(torch.float16))
    holders["dtype"].register_buffer("i64", torch.tensor([0, 1, -2, 2**40, -(2**40), 7], dtype=torch.int64))
    holders["dtype"].register_buffer("bool", torch.tensor([True, False, True]))
    holders["dtype"].register_buffer("u8", torch.tensor([0, 1, 127, 128, 254, 255], dtype=torch.uint8))
    holders["scalar"].register_buffer("f32", torch.tensor(1.25))
    for name, holder in holders.items():
        model.add_module(name, holder)


def write_seeded(official, seed, folder):
    misc = official.module("util.misc")
    model = seeded_denoiser(official, JIT, MTA, DENOISER, seed)
    edge_cases(model, seed + 50)
    params = list(model.net.parameters())
    model.ema_params1 = [p.detach() + 0.01 * seeded.normal(list(p.shape), seed + 60 + i) for i, p in enumerate(params)]
    model.ema_params2 = [p.detach() + 0.02 * seeded.normal(list(p.shape), seed + 160 + i) for i, p in enumerate(params)]
    trained = [model.net.blocks[0].attn.qkv.weight, model.net.blocks[0].attn.qkv.bias]
    optimizer = torch.optim.AdamW(trained, **ADAMW)
    for i, p in enumerate(trained):
        p.grad = seeded.normal(list(p.shape), seed + 300 + i)
    optimizer.step()
    cwd = os.getcwd()
    os.chdir(folder)  # args.output_dir is relative, as in the official runs: no path of this machine in the file
    try:
        misc.save_model(argparse.Namespace(**ARGS), model, optimizer, EPOCH, epoch_name="last")
        torch.save({"model": _Malicious()}, "malicious.pth")
    finally:
        os.chdir(cwd)
    return os.path.join(folder, ARGS["output_dir"], "checkpoint-last.pth"), os.path.join(folder, "malicious.pth")


def generate(official, seed, source=None):
    with tempfile.TemporaryDirectory() as scratch:
        if source:
            checkpoint, malicious = (os.path.join(source.dir, name) for name in ("checkpoint-last.pth", "malicious.pth"))
        else:
            os.makedirs(os.path.join(scratch, ARGS["output_dir"]))
            checkpoint, malicious = write_seeded(official, seed, scratch)
        files = {}
        for name, path in (("checkpoint-last.pth", checkpoint), ("malicious.pth", malicious)):
            with open(path, "rb") as file:
                files[name] = file.read()
    # Reading back our own (or the published) checkpoint: torch.load's full unpickler is trusted here.
    loaded = torch.load(io.BytesIO(files["checkpoint-last.pth"]), map_location="cpu")
    expected = {}
    for part in ("model", "model_ema1", "model_ema2", "optimizer"):
        expected.update(flatten(loaded[part], f"{part}."))
    case_json = source.json if source else {
        "kind": KIND,
        "config": {"format": "torch.save zip archive (<top>/data.pkl, <top>/data/<key>, <top>/version; <top> is the file stem)",
                   "layout": "util/misc.save_model: {'model': Denoiser state_dict, 'optimizer': AdamW state_dict, 'epoch', 'args', 'model_ema1', 'model_ema2'}",
                   "edge_cases": ["view.transposed is a strided, offset view into a storage shared with view.sibling",
                                  "dtype.* covers bf16, f16, i64, bool, u8", "scalar.f32 is 0-dimensional"]},
        "expected": f"every tensor leaf of model, model_ema1, model_ema2 and optimizer under dotted paths, bf16 widened to F32, bool as U8. "
                    f"Non-tensor leaves: epoch == {EPOCH}, args.model == \"{ARGS['model']}\", args.cfg == {ARGS['cfg']}, "
                    f"optimizer.param_groups[0].betas == [0.9, 0.95], optimizer.param_groups[0].lr == {ADAMW['lr']}.",
        "malicious.pth": "a zip checkpoint whose pickle calls os.system via __reduce__ (GLOBAL posix system + REDUCE): must be refused, never executed",
        "tolerance": {"atol": 0, "rtol": 0},
        "reference": {"torch": torch.__version__, "writer": "PixelREPA util/misc.py save_model", "generator": "tools/make-fixtures (npm run make-fixtures)"},
        "seed": seed,
    }
    case_json = {"case": CASE, **case_json}
    assert all(isinstance(value, np.ndarray) for value in expected.values())
    return case_json, {}, {}, expected, files
