"""pixelrepa_training_loss: one official Denoiser.forward in training mode (JiT v-loss + MTA alignment
loss) with its random draws supplied, loss_total = loss_jit + 0.1 * loss_mta as engine_pixelREPA does,
and the gradients of loss_total for every trainable parameter of JiT and the adapter."""
import torch

import seeded
from cases import denoiser_common as dc
from cases.common import reference_block, run_both, state_arrays, tensor_table, load_state

CASE = "pixelrepa-loss"
KIND = "pixelrepa_training_loss"
NEEDS = {"official": dc.jit_reference_files()}

JIT = dict(input_size=32, patch_size=4, in_channels=3, hidden_size=64, depth=4, num_heads=4, mlp_ratio=4.0,
           attn_drop=0.0, proj_drop=0.0, num_classes=10, bottleneck_dim=16, in_context_len=4, in_context_start=2)
MTA = dict(input_size=32, patch_size=4, in_channels=3, out_channels=48, hidden_size=64, depth=2, num_heads=4,
           mlp_ratio=4.0, in_context_len=4, num_classes=10)
DENOISER = dict(t_eps=0.05, noise_scale=1.0, P_mean=-0.8, P_std=0.8, label_drop_prob=0.1, patch_mask_ratio=0.2, repa_image_size=64)
MTA_WEIGHT = 0.1  # engine_pixelREPA.train_one_epoch: loss = loss_jit + 0.1 * loss_mta
RNG_ORDER = [("rand", "drop_u"), ("randn", "t_normal"), ("randn_like", "e"), ("rand", "noise_grid")]

DESCRIPTIONS = {
    "x": "[B,3,H,W] NCHW float32 clean images in [-1,1]",
    "labels": "[B] int32 class labels before label dropout",
    "drop_u": "[B] float32 torch.rand draws of drop_labels (drop where drop_u < label_drop_prob)",
    "t_normal": "[B] float32 torch.randn draws of sample_t",
    "e": "[B,3,H,W] NCHW float32 raw torch.randn_like(x) noise (the reference multiplies it by noise_scale)",
    "noise_grid": "[B,1,H/p,W/p] float32 torch.rand draws of the patch mask",
    "z_dino": "[B,N,embed_dim] float32 encoder features (the DINOv2 tokens after its prefix tokens), supplied",
    "labels_dropped": "[B] int32 labels after dropout (num_classes = null), computed by the reference",
    "t": "[B] float32 sigmoid(t_normal*P_std + P_mean), computed by the reference",
    "loss_jit": "[] v-prediction L2 loss", "loss_mta": "[] mean(1 - cos) alignment loss", "loss_total": "[] loss_jit + 0.1*loss_mta",
    "e_scaled": "[B,3,H,W]: e * noise_scale", "z": "[B,3,H,W]: t*x + (1-t)*e_scaled", "v": "[B,3,H,W]: (x - z)/clamp_min(1-t, t_eps)",
    "x_encoded": "[B,N,D]: net.forward_encoder(z, t, labels_dropped)", "x_pred": "[B,3,H,W]: net.forward_decoder(x_encoded, t, labels_dropped)",
    "v_pred": "[B,3,H,W]: (x_pred - z)/clamp_min(1-t, t_eps)", "repa_x": "[B,3,S,S]: the encoder input (re-normalized, bilinear resize)",
    "mask_patch": "[B,N,1] 1 keeps the encoder token, 0 replaces it by net.mask_token",
    "x_encoded_masked": "[B,N,D]: where(mask_patch, x_encoded, net.mask_token)",
    "mta_out": "[B,N,embed_dim]: masked_transformer_adapter(x_encoded_masked, t, labels_dropped), before normalize",
    "cos_sim": "[B,N]: cosine similarity per token",
}


def config_of(source):
    if source:
        config = source.json["config"]
        return config["jit"]["constructor"], config["mta"]["constructor"], config["denoiser"], config.get("loss_total_weight_mta", MTA_WEIGHT), config
    config = {
        "function": "denoiser_pixelREPA.Denoiser.forward (training mode) -> (loss_jit, loss_mta); loss_total = loss_jit + 0.1 * loss_mta; loss_total.backward()",
        "jit": {"class": "model_pixelREPA.JiT", "constructor": JIT},
        "mta": {"class": "model_pixelREPA.MaskedTransformerAdapter", "constructor": MTA},
        "denoiser": DENOISER,
        "repa_encoder": f"replaced: forward_features(repa_x) returns [1 prefix token (value {dc.ENCODER_PREFIX_VALUE:g}) | z_dino]; embed_dim={MTA['out_channels']}",
        "rng_order": [f"torch.{fn} -> {name}" for fn, name in RNG_ORDER],
        "loss_total_weight_mta": MTA_WEIGHT,
        "precision": "float32",
    }
    return JIT, MTA, DENOISER, MTA_WEIGHT, config


def seeded_inputs(jit, mta, seed, batch=2):
    size, patch = jit["input_size"], jit["patch_size"]
    grid = size // patch
    drop_u = seeded.uniform([batch], seed + 4)
    drop_u[0] = 0.05  # one label dropped
    t_normal = seeded.normal([batch], seed + 5)
    t_normal[-1] = 5.0  # 1 - t < t_eps: the clamp is exercised
    return {
        "x": seeded.uniform([batch, 3, size, size], seed + 1, -1.0, 1.0), "labels": seeded.labels(batch, jit["num_classes"], seed + 2).clamp_max(jit["num_classes"] - 1),
        "drop_u": drop_u, "t_normal": t_normal, "e": seeded.normal([batch, 3, size, size], seed + 6),
        "noise_grid": seeded.uniform([batch, 1, grid, grid], seed + 7), "z_dino": seeded.normal([batch, grid * grid, mta["out_channels"]], seed + 8),
    }


def seeded_denoiser(official, jit, mta, denoiser, seed, **kwargs):
    model = dc.build_denoiser(official, jit, mta, denoiser, **kwargs)
    seeded.overwrite_weights(model.net, seed)
    seeded.overwrite_weights(model.masked_transformer_adapter, seed + 1000)
    return model


def trainable(model):
    return [(f"net.{name}", p) for name, p in model.net.named_parameters() if p.requires_grad] + \
           [(f"mta.{name}", p) for name, p in model.masked_transformer_adapter.named_parameters() if p.requires_grad]


def training_step(model, values, weight):
    """One official forward with the draws of `values`; returns the recorded outputs (loss_total kept with its graph)."""
    model.repa_model.features = values["z_dino"]
    model.repa_model.seen.clear()
    draws = [(fn, values[name]) for fn, name in RNG_ORDER]
    captured = {}
    handle = model.masked_transformer_adapter.register_forward_hook(lambda _m, _a, out: captured.setdefault("mta_out", out))
    forward_code = type(model)
    with dc.supplied_draws(draws), dc.captured_locals({"forward": forward_code.forward, "forward_jit": forward_code.forward_jit, "forward_mta": forward_code.forward_mta}) as calls:
        loss_jit, loss_mta = model(values["x"], values["labels"].long())
    handle.remove()
    forward, _ = calls["forward"][-1]
    jit_locals, _ = calls["forward_jit"][-1]
    mta_locals, _ = calls["forward_mta"][-1]
    loss_total = loss_jit + weight * loss_mta
    return {
        "loss_jit": loss_jit, "loss_mta": loss_mta, "loss_total": loss_total,
        "e_scaled": forward["e"], "z": forward["z"], "v": forward["v"], "x_encoded": forward["x_encoded"],
        "x_pred": jit_locals["x_pred"], "v_pred": jit_locals["v_pred"], "repa_x": mta_locals["repa_x"],
        "mask_patch": mta_locals["mask_patch"], "x_encoded_masked": mta_locals["x_encoded_masked"],
        "mta_out": captured["mta_out"], "cos_sim": mta_locals["cos_sim"],
        "labels_dropped": forward["labels_dropped"], "t": forward["t"].flatten(),
    }


def generate(official, seed, source=None):
    jit, mta, denoiser, weight, config = config_of(source)
    model = dc.build_denoiser(official, jit, mta, denoiser) if source else seeded_denoiser(official, jit, mta, denoiser, seed)
    if source:
        load_state(model, source.weights)
        inputs = {name: torch.from_numpy(value) for name, value in source.inputs.items() if name not in ("t", "labels_dropped")}
    else:
        inputs = seeded_inputs(jit, mta, seed)
    model.train()
    computed = {}

    def run(module, values):
        with torch.enable_grad():
            module.zero_grad(set_to_none=True)
            outputs = training_step(module, values, weight)
            outputs["loss_total"].backward()
        computed.setdefault("labels_dropped", outputs.pop("labels_dropped").to(torch.int32))
        computed.setdefault("t", outputs.pop("t").detach().float())
        for name, param in trainable(module):
            outputs[f"grad.{name}"] = param.grad
        return outputs

    expected, _, tolerance = run_both(model, inputs, run)
    inputs.update(computed)
    input_arrays = {name: value.numpy() for name, value in inputs.items()}
    case_json = {
        "case": CASE, "kind": KIND, "config": config, "tolerance": tolerance, "reference": reference_block(NEEDS["official"]),
        "weights": {"file": "weights.safetensors", "description": seeded.__doc__.strip() if not source else f"from {source.dir}"},
        "inputs": tensor_table(input_arrays, DESCRIPTIONS), "expected": tensor_table(expected, DESCRIPTIONS),
        "seed": None if source else seed,
    }
    return case_json, state_arrays(model), input_arrays, expected
