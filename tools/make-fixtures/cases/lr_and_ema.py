"""lr_schedule_and_ema: the official util/lr_sched.adjust_learning_rate over a table of (fractional)
epochs for both schedules, on an optimizer with a group without and a group with lr_scale, and one
official Denoiser.update_ema step (both EMAs) on a small module with a frozen parameter."""
import argparse

import torch

import seeded
from cases.common import reference_block, run_both, tensor_table

CASE = "lr-and-ema"
KIND = "lr_schedule_and_ema"
NEEDS = {"official": ["denoiser_pixelREPA.py", "model_pixelREPA.py", "util/model_util.py", "util/lr_sched.py"]}

LR_ARGS = {"warmup_epochs": 5, "lr": 1e-4, "min_lr": 0.0, "epochs": 50}
EPOCHS = [0.0, 0.5, 1.0, 2.5, 4.0, 4.999, 5.0, 5.5, 10.0, 27.5, 49.0, 49.99]
LR_SCALE = 0.5
EMA = {"ema_decay1": 0.9999, "ema_decay2": 0.9996}
ORDER = ["frozen", "lin.weight", "lin.bias"]


class Net(torch.nn.Module):
    """net.parameters() in ORDER: a frozen parameter first (update_ema averages it too), then a Linear(4, 3)."""

    def __init__(self, values, prefix):
        super().__init__()
        self.frozen = torch.nn.Parameter(values[f"{prefix}.frozen"].clone(), requires_grad=False)
        self.lin = torch.nn.Linear(4, 3, dtype=values[f"{prefix}.lin.weight"].dtype)
        with torch.no_grad():
            self.lin.weight.copy_(values[f"{prefix}.lin.weight"])
            self.lin.bias.copy_(values[f"{prefix}.lin.bias"])


def lr_table(official, args, epochs):
    lr_sched = official.module("util.lr_sched")
    rows = []
    for schedule in ("constant", "cosine"):
        for epoch in epochs:
            optimizer = torch.optim.AdamW([{"params": [torch.nn.Parameter(torch.zeros(1))]},
                                           {"params": [torch.nn.Parameter(torch.zeros(1))], "lr_scale": LR_SCALE}], lr=args["lr"])
            lr = lr_sched.adjust_learning_rate(optimizer, epoch, argparse.Namespace(**args, lr_schedule=schedule))
            rows.append({"schedule": schedule, "epoch": epoch, "lr": lr, "group_lr": [group["lr"] for group in optimizer.param_groups]})
    return rows


def generate(official, seed, source=None):
    config = source.json["config"] if source else {
        "adjust_learning_rate": {"function": "util/lr_sched.py adjust_learning_rate(optimizer, epoch, args)", "args": LR_ARGS,
                                 "schedules": ["constant", "cosine"], "param_groups": f"group 0 without lr_scale, group 1 with lr_scale={LR_SCALE}"},
        "update_ema": {"function": "denoiser_pixelREPA.Denoiser.update_ema", **EMA,
                       "rule": "targ = targ*decay + src*(1-decay) in place for every net.parameters() entry in order, frozen ones included"},
    }
    epochs = sorted({row["epoch"] for row in source.json["lr_table"]}) if source else EPOCHS
    table = lr_table(official, config["adjust_learning_rate"]["args"], epochs)
    if source:
        inputs = {name: torch.from_numpy(value) for name, value in source.inputs.items()}
    else:
        shapes = {"frozen": [2, 2], "lin.weight": [3, 4], "lin.bias": [3]}
        inputs = {f"{prefix}.{name}": seeded.normal(shape, seed + 10 * k + i)
                  for k, prefix in enumerate(["src", "ema1", "ema2"]) for i, (name, shape) in enumerate(shapes.items())}
    update_ema = official.module("denoiser_pixelREPA").Denoiser.update_ema
    decays = config["update_ema"]

    def run(_module, values):
        holder = argparse.Namespace(net=Net(values, "src"), ema_decay1=decays["ema_decay1"], ema_decay2=decays["ema_decay2"],
                                    ema_params1=list(Net(values, "ema1").parameters()), ema_params2=list(Net(values, "ema2").parameters()))
        update_ema(holder)
        return {f"ema{k}.{name}": param for k in (1, 2) for name, param in zip(ORDER, getattr(holder, f"ema_params{k}"))}

    expected, _, tolerance = run_both(torch.nn.Module(), inputs, run)
    tolerance["lr_table"] = {"rtol": 1e-12, "atol": 0.0}
    input_arrays = {name: value.numpy() for name, value in inputs.items()}
    descriptions = {name: f"{name.split('.')[0]} entry for {name.split('.', 1)[1]}" for name in input_arrays}
    case_json = {
        "case": CASE, "kind": KIND, "config": config, "tolerance": tolerance, "reference": reference_block(NEEDS["official"]),
        "notes": "lr values are exact Python floats (float64): compare with rtol 1e-12. EMA is float32.",
        "inputs": tensor_table(input_arrays, descriptions), "expected": tensor_table(expected, {}),
        "lr_table": table, "ema_param_order": ORDER, "seed": None if source else seed,
    }
    return case_json, {}, input_arrays, expected
