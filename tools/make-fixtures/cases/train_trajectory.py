"""train_trajectory: K iterations of the official recipe: engine_pixelREPA.train_one_epoch itself, called
for each epoch with a loader of iters_per_epoch batches, the optimizer and EMAs set up with the
main_pixelREPA.py lines (util/misc.add_weight_decay, AdamW betas (0.9, 0.95), ema_params = copies of
the initial net parameters), every random draw and the encoder features supplied. Records the per-step
losses and lr (read from the official MetricLogger.update calls), the final weights, both EMAs (a
subset of the net parameters) and AdamW moments (a subset)."""
import argparse
import contextlib
import copy
import io

import torch

import seeded
from cases import denoiser_common as dc
from cases.common import load_state, reference_block, run_both, state_arrays, tensor_table
from cases.pixelrepa_loss import DENOISER, JIT, MTA, MTA_WEIGHT, RNG_ORDER, seeded_denoiser

CASE = "train-trajectory"
KIND = "train_trajectory"
NEEDS = {"official": [*dc.jit_reference_files(), "engine_pixelREPA.py", "util/lr_sched.py", "util/misc.py"]}

STEPS, ITERS_PER_EPOCH, BATCH = 8, 4, 2
LR_ARGS = {"lr": 1e-3, "min_lr": 0.0, "warmup_epochs": 1, "epochs": 2, "lr_schedule": "constant"}
HYPER = {"lr": 1e-3, "betas": [0.9, 0.95], "eps": 1e-8, "weight_decay": 0.05}
EMA = {"ema_decay1": 0.9, "ema_decay2": 0.8}
ADAM_STORED = ["net.blocks.1.attn.proj.weight", "net.blocks.0.attn.qkv.bias", "net.blocks.0.norm1.weight", "net.mask_token",
               "net.y_embedder.embedding_table.weight", "net.x_embedder.proj1.weight",
               "masked_transformer_adapter.projection_layer.mlp.1.weight", "masked_transformer_adapter.in_context_posemb"]
STEP_INPUTS = ("x_uint8", "labels", "drop_u", "t_normal", "e", "noise_grid", "z_dino")


def ema_stored(net):
    """Every net parameter with at most 1024 values, plus pos_embed and blocks.0.attn.proj.weight (size budget)."""
    return [name for name, p in net.named_parameters() if p.numel() <= 1024 or name in ("pos_embed", "blocks.0.attn.proj.weight")]


def seeded_config(model, misc):
    groups = named_groups(model, misc.add_weight_decay(model, HYPER["weight_decay"]))
    return {
        "what": f"{STEPS} iterations of engine_pixelREPA.train_one_epoch (epochs 0..{STEPS // ITERS_PER_EPOCH - 1}, {ITERS_PER_EPOCH} batches each); "
                "optimizer and EMAs set up as main_pixelREPA.py does. No DDP, no AMP, CPU.",
        "jit": {"class": "model_pixelREPA.JiT", "constructor": JIT}, "mta": {"class": "model_pixelREPA.MaskedTransformerAdapter", "constructor": MTA},
        "denoiser": DENOISER, "loss_total_weight_mta": MTA_WEIGHT,
        "repa_encoder": f"replaced: forward_features at step i returns [1 prefix token (value {dc.ENCODER_PREFIX_VALUE:g}) | step_i.z_dino]",
        "batch_size": BATCH, "steps": STEPS, "iters_per_epoch": ITERS_PER_EPOCH,
        "lr_schedule": {"function": "util/lr_sched.py adjust_learning_rate(optimizer, data_iter_step / len(data_loader) + epoch, args)", "args": LR_ARGS},
        "optimizer": {"class": "torch.optim.AdamW", "construction": "AdamW(misc.add_weight_decay(model_without_ddp, weight_decay), lr=args.lr, betas=(0.9, 0.95))",
                      "hyperparameters": HYPER, "param_groups": groups},
        "ema": {"function": "denoiser_pixelREPA.Denoiser.update_ema (after every optimizer.step)", **EMA,
                "init": "ema_params1 = ema_params2 = copy.deepcopy(list(net.parameters())) of the initial weights",
                "stored_names": ema_stored(model.net)},
        "rng_order_per_step": [f"torch.{fn} -> step_i.{name}" for fn, name in RNG_ORDER],
        "precision": "float32",
    }


def named_groups(model, groups):
    """The optimizer's parameter groups with parameter names (the checker compares its own grouping with them)."""
    names = {id(p): name for name, p in model.named_parameters()}
    return [{"index": i, "weight_decay": group["weight_decay"], "count": len(group["params"]), "params": [names[id(p)] for p in group["params"]]}
            for i, group in enumerate(groups)]


def seeded_inputs(seed):
    size, grid, channels = JIT["input_size"], JIT["input_size"] // JIT["patch_size"], JIT["in_channels"]
    inputs = {}
    for i in range(STEPS):
        base = seed + 100 * (i + 1)
        drop_u = seeded.uniform([BATCH], base + 3)
        if i in (1, 6):
            drop_u[i % BATCH] = 0.05  # two label drops along the way
        inputs.update({
            f"step_{i}.x_uint8": (seeded.uniform([BATCH, channels, size, size], base + 1) * 256).floor().clamp_max(255).to(torch.uint8),
            f"step_{i}.labels": seeded.labels(BATCH, JIT["num_classes"], base + 2).clamp_max(JIT["num_classes"] - 1),
            f"step_{i}.drop_u": drop_u, f"step_{i}.t_normal": seeded.normal([BATCH], base + 4), f"step_{i}.e": seeded.normal([BATCH, channels, size, size], base + 5),
            f"step_{i}.noise_grid": seeded.uniform([BATCH, 1, grid, grid], base + 6), f"step_{i}.z_dino": seeded.normal([BATCH, grid * grid, MTA["out_channels"]], base + 7),
        })
    return inputs


def generate(official, seed, source=None):
    engine = official.module("engine_pixelREPA")
    misc = official.module("util.misc")
    cls = official.module("denoiser_pixelREPA").Denoiser
    if source:
        config = source.json["config"]
        ema = config["ema"]
        model = dc.build_denoiser(official, config["jit"]["constructor"], config["mta"]["constructor"], config["denoiser"], ema=(ema["ema_decay1"], ema["ema_decay2"]))
        load_state(model, source.weights)
        inputs = {name: torch.from_numpy(value) for name, value in source.inputs.items() if name.split(".", 1)[1] in STEP_INPUTS}
        adam_stored = sorted({name[len("adam.exp_avg."):] for name in source.json["expected"] if name.startswith("adam.exp_avg.")})
    else:
        model = seeded_denoiser(official, JIT, MTA, DENOISER, seed, ema=(EMA["ema_decay1"], EMA["ema_decay2"]))
        config = seeded_config(model, misc)
        inputs = seeded_inputs(seed)
        adam_stored = ADAM_STORED
    weights = state_arrays(model)
    steps, per_epoch = config["steps"], config["iters_per_epoch"]
    hyper, lr_args = config["optimizer"]["hyperparameters"], config["lr_schedule"]["args"]
    stored = config["ema"]["stored_names"]
    computed = {}

    def run(module, values):
        step = lambda i, name: values[f"step_{i}.{name}"]
        draws = [(fn, step(i, name)) for i in range(steps) for fn, name in RNG_ORDER]
        module.repa_model.features = [step(i, "z_dino") for i in range(steps)]
        module.ema_params1 = copy.deepcopy(list(module.net.parameters()))
        module.ema_params2 = copy.deepcopy(list(module.net.parameters()))
        optimizer = torch.optim.AdamW(misc.add_weight_decay(module, hyper["weight_decay"]), lr=lr_args["lr"], betas=tuple(hyper["betas"]))
        args = argparse.Namespace(**lr_args, log_freq=1)
        functions = {"forward": cls.forward, "update": misc.MetricLogger.update}
        with torch.enable_grad(), contextlib.redirect_stdout(io.StringIO()), dc.supplied_draws(draws), dc.captured_locals(functions) as calls:
            for epoch in range(steps // per_epoch):
                loader = [(step(i, "x_uint8"), step(i, "labels").long()) for i in range(epoch * per_epoch, (epoch + 1) * per_epoch)]
                engine.train_one_epoch(module, module, loader, optimizer, "cpu", epoch, log_writer=None, args=args)
        logged = [local["kwargs"] for local, _ in calls["update"]]
        outputs = {
            "loss_jit": torch.stack([returned[0].detach() for _, returned in calls["forward"]]),
            "loss_mta": torch.stack([returned[1].detach() for _, returned in calls["forward"]]),
            "loss_total": torch.tensor([entry["loss"] for entry in logged if "loss" in entry], dtype=values["step_0.e"].dtype),
            "lr": torch.tensor([entry["lr"] for entry in logged if "lr" in entry], dtype=torch.float64),
        }
        for i, (local, _) in enumerate(calls["forward"]):
            computed.setdefault(f"step_{i}.labels_dropped", local["labels_dropped"].to(torch.int32))
            computed.setdefault(f"step_{i}.t", local["t"].flatten().detach().float())
        outputs.update({f"final.net.{name}": p for name, p in module.net.named_parameters()})
        outputs.update({f"final.mta.{name}": p for name, p in module.masked_transformer_adapter.named_parameters()})
        for k in (1, 2):
            ema_params = dict(zip([name for name, _ in module.net.named_parameters()], getattr(module, f"ema_params{k}")))
            outputs.update({f"ema{k}.{name}": ema_params[name] for name in stored})
        by_name = dict(module.named_parameters())
        for name in adam_stored:
            state = optimizer.state[by_name[name]]
            outputs[f"adam.exp_avg.{name}"], outputs[f"adam.exp_avg_sq.{name}"] = state["exp_avg"], state["exp_avg_sq"]
        return outputs

    model.train()
    expected, _, tolerance = run_both(model, inputs, run)
    expected["lr"] = expected["lr"].astype("float64")
    tolerance["per_tensor"]["lr"] = {"atol": 0.0, "rtol": 1e-12, "note": "exact Python float"}
    inputs.update(computed)
    input_arrays = {name: value.numpy() for name, value in inputs.items()}
    descriptions = {"lr": "[K] float64 lr used by optimizer.step at each step (exact)", "loss_jit": "[K] loss_jit at each step (before its update)",
                    "loss_mta": "[K] loss_mta at each step", "loss_total": "[K] loss_jit + 0.1*loss_mta at each step"}
    case_json = {
        "case": CASE, "kind": KIND, "config": config, "tolerance": tolerance, "reference": reference_block(NEEDS["official"]),
        "notes": "Per-step losses are those of model(x, labels) at that step (before the update); final.net.pos_embed is frozen. "
                 f"Adam state stored for: {', '.join(adam_stored)}",
        "weights": {"file": "weights.safetensors", "description": "initial Denoiser state_dict" + (f" from {source.dir}" if source else f"; {seeded.__doc__.strip()}")},
        "inputs": tensor_table(input_arrays, {}), "expected": tensor_table(expected, descriptions),
        "seed": None if source else seed,
    }
    return case_json, weights, input_arrays, expected
