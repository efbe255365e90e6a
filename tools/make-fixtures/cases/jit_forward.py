"""jit_forward: JiT forward / forward_encoder / forward_decoder with per-block outputs, RoPE tables, pos_embed."""

import seeded
from cases.common import model_and_inputs, recorder, reference_block, run_both, state_arrays, tensor_table

CASE = "jit-forward"
KIND = "jit_forward"
NEEDS = {"official": ["model_pixelREPA.py", "util/model_util.py"]}
CONSTRUCTOR = dict(input_size=32, patch_size=4, in_channels=3, hidden_size=64, depth=4, num_heads=4, mlp_ratio=4.0,
                   attn_drop=0.0, proj_drop=0.0, num_classes=10, bottleneck_dim=16, in_context_len=4, in_context_start=2)

DESCRIPTIONS = {
    "x": "[B,C,H,W] NCHW float32, N(0,1): the noisy image z fed to the net",
    "t": "[B] float32 timesteps in (0,1) (t=1 is clean data); fed raw to the sinusoidal embedding",
    "y": "[B] int32 class labels; num_classes = the null class (last embedding row)",
    "out": "[B,C,H,W] NCHW: net(x,t,y), the x-prediction",
    "enc": "[B,N,D]: forward_encoder(x,t,y)",
    "dec": "[B,C,H,W] NCHW: forward_decoder(enc,t,y); equals out",
    "t_freq": "[B,256]: TimestepEmbedder.timestep_embedding(t, 256)",
    "t_emb": "[B,D]: t_embedder(t)",
    "y_emb": "[B,D]: y_embedder(y)",
    "x_embed": "[B,N,D]: x_embedder(x), before += pos_embed",
    "final_layer": "[B,N,p*p*C]: final_layer(x[:, in_context_len:], c)",
    "pos_embed": "[1,N,D]: fixed 2-D sin-cos pos embed",
}


def generate(official, seed, source=None):
    """A jit-forward case: seeded weights and inputs, or (source) those of an existing case."""
    def seeded_inputs(constructor):
        size, channels = constructor["input_size"], constructor["in_channels"]
        return {"x": seeded.normal([2, channels, size, size], seed + 1), "t": seeded.uniform([2], seed + 2, 0.05, 0.95),
                "y": seeded.labels(2, constructor["num_classes"], seed + 3)}

    constructor, net, inputs = model_and_inputs(official.JiT, CONSTRUCTOR, seed, source, seeded_inputs)
    last = constructor["depth"] - 1

    def run(model, values):
        x, t, y = values["x"], values["t"], values["y"].long()
        names = {f"block_{i}": f"blocks.{i}" for i in range(constructor["depth"])}
        names.update({"block_0.adaLN_modulation": "blocks.0.adaLN_modulation", "block_0.attn": "blocks.0.attn", "block_0.mlp": "blocks.0.mlp",
                      f"block_{last}.attn": f"blocks.{last}.attn", "final_layer": "final_layer", "x_embed": "x_embedder"})
        recorded, remove = recorder(model, names)
        out = model(x, t, y)
        remove()
        enc = model.forward_encoder(x, t, y)
        outputs = dict(recorded)
        outputs.update({
            "out": out, "enc": enc, "dec": model.forward_decoder(enc, t, y),
            "t_freq": official.TimestepEmbedder.timestep_embedding(t, 256), "t_emb": model.t_embedder(t), "y_emb": model.y_embedder(y),
            "pos_embed": model.pos_embed,
            "feat_rope.freqs_cos": model.feat_rope.freqs_cos, "feat_rope.freqs_sin": model.feat_rope.freqs_sin,
            "feat_rope_incontext.freqs_cos": model.feat_rope_incontext.freqs_cos, "feat_rope_incontext.freqs_sin": model.feat_rope_incontext.freqs_sin,
        })
        return outputs

    expected, _, tolerance = run_both(net, inputs, run)
    weights = state_arrays(net)
    input_arrays = {name: value.numpy() for name, value in inputs.items()}
    case_json = {
        "case": CASE, "kind": KIND,
        "config": {"class": "model_pixelREPA.JiT", "constructor": constructor, "mode": "eval",
                   "calls": ["out = net(x, t, y)", "enc = net.forward_encoder(x, t, y)", "dec = net.forward_decoder(enc, t, y)",
                             "t_freq = TimestepEmbedder.timestep_embedding(t, 256)"]},
        "tolerance": tolerance, "reference": reference_block(),
        "weights": {"file": "weights.safetensors", "count": len(weights), "description": seeded.__doc__.strip() if not source else f"from {source.dir}"},
        "inputs": tensor_table(input_arrays, DESCRIPTIONS), "expected": tensor_table(expected, DESCRIPTIONS),
        "seed": None if source else seed,
    }
    return case_json, weights, input_arrays, expected
