"""sincos_rope_temb: get_2d_sincos_pos_embed, VisionRotaryEmbeddingFast tables and rotation (0 and 4 prefix
tokens), rotate_half, TimestepEmbedder.timestep_embedding (even and odd widths)."""

import numpy as np
import torch

import seeded
from cases.common import reference_block, run_both, tensor_table

CASE = "sincos-and-rope"
KIND = "sincos_rope_temb"
NEEDS = {"official": ["model_pixelREPA.py", "util/model_util.py"]}
CONFIG = {
    "get_2d_sincos_pos_embed": [{"embed_dim": 64, "grid_size": 8}, {"embed_dim": 768, "grid_size": 16}],
    "VisionRotaryEmbeddingFast": [{"dim": 8, "pt_seq_len": 8, "num_cls_token": 0}, {"dim": 8, "pt_seq_len": 8, "num_cls_token": 4}],
    "TimestepEmbedder.timestep_embedding": {"dims": [256, 7], "max_period": 10000},
    "functions": "util/model_util.py get_2d_sincos_pos_embed, VisionRotaryEmbeddingFast, rotate_half; model_pixelREPA.TimestepEmbedder.timestep_embedding",
}

DESCRIPTIONS = {
    "q_cls0": "[B,heads,64,head_dim] float32 N(0,1) query (no prefix tokens)",
    "q_cls4": "[B,heads,68,head_dim] float32 N(0,1) query (4 prefix tokens first)",
    "t": "[n] float32 timesteps for timestep_embedding (includes values > 1)",
    "pos_embed_64_8_f64": "get_2d_sincos_pos_embed(64, 8), exact float64",
}


def generate(official, seed, source=None):
    model_util = official.module("util.model_util")
    config = source.json["config"] if source else CONFIG
    if source:
        inputs = {name: torch.from_numpy(value) for name, value in source.inputs.items()}
    else:
        inputs = {"q_cls0": seeded.normal([2, 4, 64, 16], seed + 1), "q_cls4": seeded.normal([2, 4, 68, 16], seed + 2),
                  "t": torch.cat([seeded.uniform([6], seed + 3), torch.tensor([1.5, 40.0])])}
    ropes = {f"rope_cls{spec['num_cls_token']}": official.VisionRotaryEmbeddingFast(**spec) for spec in config["VisionRotaryEmbeddingFast"]}

    def run(_module, values):
        outputs = {}
        for spec in config["get_2d_sincos_pos_embed"]:
            table = official.get_2d_sincos_pos_embed(spec["embed_dim"], spec["grid_size"])
            # The published value is numpy's float64 cast to float32 (the model stores it so).
            outputs[f"pos_embed_{spec['embed_dim']}_{spec['grid_size']}"] = torch.from_numpy(table).to(values["t"].dtype)
        outputs["pos_embed_64_8_f64"] = torch.from_numpy(official.get_2d_sincos_pos_embed(64, 8)).double()
        for name, rope in ropes.items():
            outputs[f"{name}.freqs_cos"] = rope.freqs_cos
            outputs[f"{name}.freqs_sin"] = rope.freqs_sin
            outputs[f"{name}.q_out"] = rope(values[f"q_{name.split('_')[1]}"])
        outputs["rotate_half.q_cls0"] = model_util.rotate_half(values["q_cls0"])
        for dim in config["TimestepEmbedder.timestep_embedding"]["dims"]:
            outputs[f"timestep_embedding_{dim}"] = official.TimestepEmbedder.timestep_embedding(values["t"], dim)
        return outputs

    expected, _, tolerance = run_both(torch.nn.Module(), inputs, run)
    expected["pos_embed_64_8_f64"] = expected["pos_embed_64_8_f64"].astype(np.float64)
    input_arrays = {name: value.numpy() for name, value in inputs.items()}
    case_json = {
        "case": CASE, "kind": KIND, "config": config, "tolerance": tolerance, "reference": reference_block(),
        "inputs": tensor_table(input_arrays, DESCRIPTIONS), "expected": tensor_table(expected, DESCRIPTIONS),
        "seed": None if source else seed,
    }
    return case_json, {}, input_arrays, expected
