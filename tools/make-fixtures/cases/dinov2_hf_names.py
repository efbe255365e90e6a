"""dinov2-hf-names: the DINOv2 state-dict names of timm (vit_base_patch14_dinov2.lvd142m, timm 0.9.12) and of
Hugging Face transformers' Dinov2Model, related by transformers' own conversion (convert_dinov2_to_hf.py:
create_rename_keys and read_in_q_k_v, run on a state dict with Meta's names, which are timm's for ViT-S/B/L).

mapping.json: the real ViT-B/14 state dict of timm.create_model(pretrained=False) (its keys and shapes; the
values are never used) plus the zero mask_token Meta's checkpoint holds, converted; each Hugging Face tensor is
traced back to the timm tensor it is (identity) or a slice of (the q/k/v split of attn.qkv) by shared storage.
weights_hf.safetensors: the published dinov2-resample weights (beside this case in the --from folder), plus a
zero mask_token, converted the same way. No expected tensors: those two files are the outputs.

Seeded (without --from): the weights are those of the seeded dinov2-resample case of the same seed (the same
function makes them), so a seeded folder holds both and check-fixtures runs the HF weights through that case."""
import json
import os
import types

import numpy as np
import torch

from cases import dinov2_resample, published
from safetensors_file import read_safetensors

CASE = "dinov2-hf-names"
KIND = "dinov2-hf-names"
NEEDS = {"upstream": ["timm", "transformers"]}
WEIGHTS_FROM = "dinov2-resample"
TIMM_MODEL = "vit_base_patch14_dinov2.lvd142m"


def convert(conversion, state, hidden_size, depth):
    """`state` (timm names, + mask_token) → transformers' names, by the conversion file's own functions."""
    config = types.SimpleNamespace(hidden_size=hidden_size, num_hidden_layers=depth, use_swiglu_ffn=False)
    converted = dict(state)
    for old, new in conversion.create_rename_keys(config):
        conversion.rename_key(converted, old, new)
    conversion.read_in_q_k_v(converted, config)
    return converted


def mapping_rows(state, converted):
    rows, hf_only = [], []
    for hf, value in converted.items():
        sources = [name for name, tensor in state.items() if tensor.storage().data_ptr() == value.storage().data_ptr()]
        if len(sources) != 1 or sources[0] == "mask_token":
            hf_only.append({"hf": hf, "hf_shape": list(value.shape),
                            "note": "exists in the HF checkpoint (and in Meta's original .pth); no timm counterpart (timm's _convert_dinov2 pops it)"})
            continue
        tensor = state[sources[0]]
        if value.shape == tensor.shape:
            transform = "identity"
        else:
            begin = (value.storage_offset() - tensor.storage_offset()) // tensor.stride(0)
            transform = f"rows [{begin}:{begin + value.shape[0]}] of dim 0 (qkv split, order q,k,v)"
        rows.append({"timm": sources[0], "hf": hf, "transform": transform, "timm_shape": list(tensor.shape), "hf_shape": list(value.shape)})
    order = {name: i for i, name in enumerate(state)}
    rows.sort(key=lambda row: order[row["timm"]])  # timm's order; a key's q, k, v stay in conversion order (stable sort)
    return rows, hf_only


def generate(official, seed, source=None):
    if source:
        weights_path = os.path.join(os.path.dirname(source.dir), WEIGHTS_FROM, "weights.safetensors")
        if not os.path.isfile(weights_path):
            raise SystemExit(f"make-fixtures: {CASE} takes its weights from {WEIGHTS_FROM}/weights.safetensors, which the --from folder lacks")
    conversion = official.upstream.dinov2_conversion()
    with official.upstream.timm() as timm:
        model = timm.create_model(TIMM_MODEL, pretrained=False)
        state = {name: value.detach() for name, value in model.state_dict().items()}
        tiny_weights = read_safetensors(weights_path) if source else dinov2_resample.seeded_case(timm, seed)[1]
    hidden = model.embed_dim
    depth = len(model.blocks)
    del model
    state["mask_token"] = torch.zeros(1, hidden)
    rows, hf_only = mapping_rows(state, convert(conversion, state, hidden, depth))
    mapping = {
        "model": f"transformers Dinov2Model names (convert_dinov2_to_hf.py) <-> timm {TIMM_MODEL} (timm 0.9.12)",
        "embed_dim": hidden, "depth": depth, "rows": rows, "hf_only": hf_only,
    }

    tiny = {name: torch.from_numpy(value) for name, value in tiny_weights.items()}
    tiny_hidden = tiny["cls_token"].shape[-1]
    tiny_depth = len({name.split(".")[1] for name in tiny if name.startswith("blocks.")})
    tiny["mask_token"] = torch.zeros(1, tiny_hidden)
    weights_hf = {name: np.ascontiguousarray(value.numpy()) for name, value in convert(conversion, tiny, tiny_hidden, tiny_depth).items()}

    files = {"timm": ["timm/models/vision_transformer.py"], "transformers": ["src/transformers/models/dinov2/convert_dinov2_to_hf.py"]}
    if source:
        case_json = published.case_json(source, CASE, ["timm", "transformers"], files)
    else:
        case_json = {
            "case": CASE, "kind": KIND,
            "config": {"mapping_file": "mapping.json",
                       "source": "transformers src/transformers/models/dinov2/convert_dinov2_to_hf.py (create_rename_keys, read_in_q_k_v), run here",
                       "tiny_weights": f"weights_hf.safetensors = the seeded {WEIGHTS_FROM} weights of the same seed ({seed}), renamed (+ zero mask_token)"},
            "tolerance": {"atol": 0.0, "rtol": 0.0, "note": "names/shapes must match exactly; weights_hf values are exact copies"},
            "reference": published.reference_block(["timm", "transformers"], files),
            "seed": seed,
        }
    files = {"mapping.json": (json.dumps(mapping, indent=2) + "\n").encode(), "weights_hf.safetensors": weights_hf}
    return case_json, {}, {}, {}, files
