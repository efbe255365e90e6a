"""Checks that the official PixelREPA code resumes from a checkpoint written by `pixelrepa convert RUN
OUT/checkpoint-last.pth --to pth` (tools/fixture-checker/src/make-fixtures/official-resume.test.ts runs it).

  python3 check_official_resume.py weights VITS14.pth [--seed N]
      a DINOv2 ViT-S/14 state dict at its pretrained geometry (518 px, patch 14) under timm 0.9.12's names, with
      seeded values (timm.create_model(pretrained=False) for the names and shapes), for `pixelrepa train
      --encoder dinov2-vits14 --encoder_weights` and for the official construction below.
  python3 check_official_resume.py check OUT/checkpoint-last.pth --ours RUN/checkpoints/checkpoint-N.safetensors
      --encoder_weights VITS14.pth [--official DIR] [--timm DIR] [--train_step]

`check` runs the official code as it is (imported from --official / $PIXELREPA_OFFICIAL, never copied), with
the stand-ins of official.py for what a CPU-only machine lacks (Tensor.cuda, torch.cuda.synchronize, einops,
torch.compile, cv2, torch_fidelity) and the real timm 0.9.12 (--timm / $PIXELREPA_TIMM, upstream.py):
1. args: main_pixelREPA.py's own get_args_parser() defaults (the function is compiled from the file: importing the
   file would need tensorboard), overridden by the `args` dict the checkpoint holds (what the command line of the
   resumed run would repeat), and `lr = blr * batch_size / 256` as main() computes it (one process);
2. `Denoiser(args)` from denoiser_pixelREPA.py; its `create_model(args.repa_model, pretrained=True, img_size=...,
   patch_size=...)` is timm's own, given the local weights file through `pretrained_cfg_overlay=dict(file=...)`
   instead of the Hugging Face download (the only change to the call);
3. `misc.add_weight_decay` and `torch.optim.AdamW(param_groups, lr=args.lr, betas=(0.9, 0.95))` as main() builds them;
4. the resume block of main() itself (from `checkpoint_path = ...` to the line before `# Evaluate generation`),
   taken from the file's source and run with args.resume = the checkpoint's folder (its torch.load gets the
   checkpoint already read, the file being gigabytes): strict
   `load_state_dict(checkpoint['model'])`, the EMA lists by `net.named_parameters()`, `optimizer.load_state_dict`,
   `args.start_epoch = checkpoint['epoch'] + 1`.
Then it asserts: the resume branch ran; the state dict keys are exactly the Denoiser's; every net / adapter tensor,
both EMA lists and every AdamW moment (by parameter name, so the index mapping is checked too) equal our
training checkpoint's tensors bit for bit; `repa_model.*` equals what timm built from the weights file at
repa_image_size / repa_patch_size (the independent check of our resampling: bit-equal but for the resampled patch
kernel and position table, which are within the dinov2-resample fixture's atol, their differences printed); the AdamW
`step` is our optimizer step; the lr is main()'s. With --train_step, one official training step follows
(engine_pixelREPA.train_one_epoch on one batch of two seeded images, the real DINOv2 forward included): finite
loss, AdamW step + 1, the net's weights moved, the EMAs updated. Prints one JSON line of results; exit 0 when all hold.
"""
import argparse
import ast
import contextlib
import io
import json
import math
import os
import struct
import sys
import textwrap
import types

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from official import Official  # noqa: E402
from upstream import Upstream  # noqa: E402

VITS14 = "vit_small_patch14_dinov2.lvd142m"
# repa_model.*: the two tensors timm resamples at load are ours (TensorFlow.js) against timm's float32 (torch), within
# the dinov2-resample fixture's atol for the same two computations (patch_embed_proj_weight_resampled,
# pos_embed_resampled: 10x their float32 error); every other tensor is copied, so bit-equal.
REPA_RESAMPLED_ATOL = {"patch_embed.proj.weight": 3e-6, "pos_embed": 3e-6}


def write_weights(path, seed):
    with Upstream(timm=os.environ.get("PIXELREPA_TIMM")).timm() as timm:
        model = timm.create_model(VITS14, pretrained=False)
    generator = torch.Generator().manual_seed(seed)
    state = {}
    for name, value in model.state_dict().items():
        noise = torch.randn(value.shape, generator=generator)
        if name.endswith("norm1.weight") or name.endswith("norm2.weight") or name == "norm.weight":
            state[name] = 1 + 0.1 * noise
        elif name.endswith(".gamma") or name in ("pos_embed", "cls_token"):
            state[name] = 0.5 * noise
        elif value.dim() <= 1:
            state[name] = 0.05 * noise
        else:
            state[name] = noise / math.sqrt(max(1, value[0].numel()))
    torch.save(state, path)
    print(json.dumps({"wrote": path, "tensors": len(state), "pos_embed": list(state["pos_embed"].shape)}))


class Ours:
    """Our training checkpoint (safetensors), read one tensor at a time (it is gigabytes for JiT-B)."""

    DTYPES = {"F32": np.float32, "F64": np.float64, "I32": np.int32, "I64": np.int64, "U8": np.uint8}

    def __init__(self, path):
        self.path = path
        with open(path, "rb") as file:
            (length,) = struct.unpack("<Q", file.read(8))
            self.header = json.loads(file.read(length))
        self.base = 8 + length
        self.metadata = self.header.pop("__metadata__", {})

    def names(self, prefix):
        return [name[len(prefix):] for name in self.header if name.startswith(prefix)]

    def get(self, name):
        info = self.header[name]
        begin, end = info["data_offsets"]
        dtype = np.dtype(self.DTYPES[info["dtype"]])
        array = np.fromfile(self.path, dtype=dtype, count=(end - begin) // dtype.itemsize, offset=self.base + begin)
        return torch.from_numpy(array.reshape(info["shape"]))


def official_function(source, tree, name):
    """A top-level function of main_pixelREPA.py, compiled on its own."""
    node = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == name)
    namespace = {"argparse": argparse}
    exec(compile(ast.Module(body=[node], type_ignores=[]), "main_pixelREPA.py", "exec"), namespace)
    return namespace[name]


def resume_block(source):
    """main()'s resume block, as it is in main_pixelREPA.py."""
    lines = source.splitlines()
    begin = next(i for i, line in enumerate(lines) if line.strip().startswith("checkpoint_path = os.path.join(args.resume"))
    end = next(i for i, line in enumerate(lines) if i > begin and line.strip() == "# Evaluate generation")
    return textwrap.dedent("\n".join(lines[begin:end]))


def equal(a, b):
    return a.shape == b.shape and a.dtype == b.dtype and torch.equal(a, b)


def check(options):
    official = Official(options.official or os.environ.get("PIXELREPA_OFFICIAL"))
    upstream = Upstream(timm=options.timm or os.environ.get("PIXELREPA_TIMM"))
    main_path = os.path.join(official.folder, "main_pixelREPA.py")
    with open(main_path) as file:
        main_source = file.read()
    get_args_parser = official_function(main_source, ast.parse(main_source), "get_args_parser")
    checkpoint_path = os.path.abspath(options.checkpoint)
    if os.path.basename(checkpoint_path) != "checkpoint-last.pth":
        raise SystemExit("check: the official --resume reads <dir>/checkpoint-last.pth; name the file so")
    checkpoint = torch.load(checkpoint_path, map_location="cpu")  # read once (gigabytes): the official block gets it too
    written_args = checkpoint["args"]
    args = get_args_parser().parse_args([])
    for key, value in written_args.items():
        if not hasattr(args, key):
            raise SystemExit(f"check: the checkpoint's args has {key!r}, which main_pixelREPA.py has no flag for")
        setattr(args, key, value)
    args.lr = args.blr * args.batch_size / 256 if args.lr is None else args.lr
    args.resume = os.path.dirname(checkpoint_path)
    args.log_freq = 1
    results = {"args": {k: written_args[k] for k in ("model", "mta", "img_size", "class_num", "repa_model", "repa_image_size", "repa_patch_size") if k in written_args}}

    misc = official.module("util.misc")
    ours = Ours(options.ours)
    with upstream.timm() as timm:
        denoiser_module = official.module("denoiser_pixelREPA")
        # The official file did `from timm import create_model` with official.py's stand-in (or the real timm):
        # here it is timm's own, reading the local file instead of downloading.
        denoiser_module.create_model = lambda *a, **kw: timm.create_model(*a, pretrained_cfg_overlay=dict(file=options.encoder_weights), **kw)
        model_without_ddp = denoiser_module.Denoiser(args)
    built_by_timm = {name: value.clone() for name, value in model_without_ddp.repa_model.state_dict().items()}
    param_groups = misc.add_weight_decay(model_without_ddp, args.weight_decay)
    optimizer = torch.optim.AdamW(param_groups, lr=args.lr, betas=(0.9, 0.95))

    constants = {name: value.clone() for name, value in model_without_ddp.state_dict().items() if name.split(".")[0] in ("scale", "de_scale")}
    loader = types.SimpleNamespace(load=lambda path, map_location=None: checkpoint if os.path.abspath(path) == checkpoint_path else torch.load(path, map_location=map_location))
    namespace = {"os": os, "torch": loader, "copy": __import__("copy"), "args": args, "model_without_ddp": model_without_ddp, "optimizer": optimizer}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(resume_block(main_source), main_path, "exec"), namespace)
    failures = []
    if "Resumed checkpoint from" not in printed.getvalue():
        failures.append(f"the official resume branch did not run: {printed.getvalue().strip()!r}")
    results["start_epoch"] = args.start_epoch

    state = model_without_ddp.state_dict()
    missing, unexpected = sorted(set(state) - set(checkpoint["model"])), sorted(set(checkpoint["model"]) - set(state))
    if missing or unexpected:
        failures.append(f"state dict keys: missing {missing[:5]}, unexpected {unexpected[:5]}")
    results["model_keys"] = len(state)

    # net.* and the adapter: exactly our tensors.
    compared = 0
    for name in ours.names("model."):
        if name not in state or not equal(state[name], ours.get(f"model.{name}")):
            failures.append(f"model.{name} differs from our checkpoint")
        compared += 1
    results["model_tensors_equal"] = compared
    # repa_model.*: what timm built from the weights file at this geometry.
    resampled = {}
    for name, value in built_by_timm.items():
        loaded = state[f"repa_model.{name}"]
        if loaded.shape != value.shape:
            failures.append(f"repa_model.{name}: {tuple(loaded.shape)} written, timm builds {tuple(value.shape)}")
        elif name in REPA_RESAMPLED_ATOL:
            resampled[name] = (loaded - value).abs().max().item()
            if resampled[name] > REPA_RESAMPLED_ATOL[name]:
                failures.append(f"repa_model.{name} differs from timm's resampling by up to {resampled[name]:g} (> {REPA_RESAMPLED_ATOL[name]:g})")
        elif not equal(loaded, value):
            failures.append(f"repa_model.{name} differs from timm's")
    results["repa_model_resampled_max_abs_diff_vs_timm"] = resampled
    results["repa_model_tensors"] = len(built_by_timm)
    for name, value in constants.items():
        if not equal(state[name], value):
            failures.append(f"{name} is not the Denoiser's constant")

    # The EMA lists, by net.named_parameters() as the official code reads them.
    names = [name for name, _ in model_without_ddp.net.named_parameters()]
    for k in (1, 2):
        ema = getattr(model_without_ddp, f"ema_params{k}")
        bad = [name for name, value in zip(names, ema) if not equal(value, ours.get(f"model_ema{k}.{name}"))]
        if len(ema) != len(names) or bad:
            failures.append(f"ema_params{k}: {len(ema)} of {len(names)}, differing: {bad[:5]}")
    results["ema_params"] = len(names)

    # AdamW: every moment on its parameter (by name), the step, the groups and lr.
    step = int(ours.metadata.get("optimizer_step", "0"))
    by_param = {id(p): name for name, p in model_without_ddp.named_parameters()}
    moments = 0
    for group in optimizer.param_groups:
        if group["lr"] != args.lr or tuple(group["betas"]) != (0.9, 0.95):
            failures.append(f"param group lr {group['lr']} betas {group['betas']}, main() sets {args.lr}, (0.9, 0.95)")
        for p in group["params"]:
            name = by_param[id(p)]
            entry = optimizer.state.get(p)
            if entry is None:
                failures.append(f"no AdamW state for {name}")
                continue
            if float(entry["step"]) != step:
                failures.append(f"AdamW step of {name}: {float(entry['step'])}, ours {step}")
            for key in ("exp_avg", "exp_avg_sq"):
                if entry[key].shape != p.shape or not equal(entry[key], ours.get(f"optimizer.{key}.{name}")):
                    failures.append(f"AdamW {key} of {name} differs from ours")
            moments += 1
    results["adamw"] = {"step": step, "parameters_with_state": moments, "groups": [len(g["params"]) for g in optimizer.param_groups]}
    if moments != sum(p.requires_grad for p in model_without_ddp.parameters()):
        failures.append(f"AdamW state for {moments} parameters, {sum(p.requires_grad for p in model_without_ddp.parameters())} are trained")
    del checkpoint

    if options.train_step and not failures:
        results["train_step"] = train_step(official, model_without_ddp, optimizer, args, step, failures)
    results["failures"] = failures
    print(json.dumps(results))
    return 0 if not failures else 1


def train_step(official, model, optimizer, args, step, failures):
    """One iteration of engine_pixelREPA.train_one_epoch on two seeded images (the real DINOv2 forward)."""
    engine = official.module("engine_pixelREPA")
    misc = official.module("util.misc")
    generator = torch.Generator().manual_seed(7)
    x = (torch.rand([2, 3, args.img_size, args.img_size], generator=generator) * 255).to(torch.uint8)
    labels = torch.arange(2) % args.class_num
    before = [p.detach().clone() for p in model.net.parameters()]
    ema_before = [p.clone() for p in model.ema_params1]
    losses = []
    update = misc.MetricLogger.update

    def logged(self, **kwargs):
        if "loss" in kwargs:
            losses.append(float(kwargs["loss"]))
        return update(self, **kwargs)

    misc.MetricLogger.update = logged
    model.train()
    try:
        with torch.enable_grad(), contextlib.redirect_stdout(io.StringIO()):
            engine.train_one_epoch(model, model, [(x, labels)], optimizer, "cpu", args.start_epoch, log_writer=None, args=args)
    finally:
        misc.MetricLogger.update = update
    steps = {float(optimizer.state[p]["step"]) for group in optimizer.param_groups for p in group["params"]}
    moved = sum(not torch.equal(a, b) for a, b in zip(before, model.net.parameters()))
    ema_moved = sum(not torch.equal(a, b) for a, b in zip(ema_before, model.ema_params1))
    if len(losses) != 1 or not math.isfinite(losses[0]):
        failures.append(f"official train step losses: {losses}")
    if steps != {float(step + 1)}:
        failures.append(f"AdamW steps after one official step: {sorted(steps)}, expected {step + 1}")
    if moved == 0 or ema_moved == 0:
        failures.append(f"one official step moved {moved} net parameters and {ema_moved} EMA entries")
    return {"loss": losses[0] if losses else None, "adamw_step": sorted(steps), "net_parameters_moved": moved, "ema1_entries_moved": ema_moved}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    weights = commands.add_parser("weights")
    weights.add_argument("out")
    weights.add_argument("--seed", type=int, default=0)
    checking = commands.add_parser("check")
    checking.add_argument("checkpoint")
    checking.add_argument("--ours", required=True, help="our training checkpoint the .pth was converted from")
    checking.add_argument("--encoder_weights", required=True)
    checking.add_argument("--official")
    checking.add_argument("--timm")
    checking.add_argument("--train_step", action="store_true")
    options = parser.parse_args(argv)
    if options.command == "weights":
        write_weights(options.out, options.seed)
        return 0
    return check(options)


if __name__ == "__main__":
    sys.exit(main())
