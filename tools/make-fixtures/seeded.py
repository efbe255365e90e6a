"""Seeded weights and inputs for generated cases.

Weights are overwritten after construction so that every parameter matters (the official init
zeroes the adaLN layers, which would make most of the network trivially exact): Linear/Conv weights
N(0,1)·gain/sqrt(fan_in) (gain 0.5 for adaLN_modulation.1), biases N(0, 0.05²), RMSNorm and LayerNorm
weights 1 + 0.1·N, LayerNorm biases 0.05·N, embedding tables and mask_token 0.5·N, in_context_posemb
0.2·N. Fixed tables (pos_embed) keep the official values.
"""
import math

import torch

FIXED = {"pos_embed"}


def overwrite_weights(module, seed):
    generator = torch.Generator().manual_seed(seed)
    normal = lambda shape: torch.randn(shape, generator=generator, dtype=torch.float32)
    with torch.no_grad():
        for name, param in module.state_dict(keep_vars=True).items():
            if name in FIXED or not param.dtype.is_floating_point:
                continue
            shape = param.shape
            leaf = name.rsplit(".", 1)[-1]
            owner = name.rsplit(".", 1)[0]
            if name.endswith("embedding_table.weight") or name == "mask_token":
                value = 0.5 * normal(shape)
            elif name == "in_context_posemb":
                value = 0.2 * normal(shape)
            elif leaf == "bias":
                value = 0.05 * normal(shape)  # Linear, Conv and LayerNorm biases alike
            elif _is_norm(module, owner):
                value = 1 + 0.1 * normal(shape)
            elif leaf == "weight" and len(shape) >= 2:
                fan_in = math.prod(shape[1:])
                gain = 0.5 if owner.endswith("adaLN_modulation.1") else 1.0
                value = normal(shape) * gain / math.sqrt(fan_in)
            else:
                raise ValueError(f"seeded: no rule for parameter {name} {tuple(shape)}")
            param.copy_(value)


def _is_norm(root, path):
    module = root.get_submodule(path) if path else root
    return type(module).__name__ in ("RMSNorm", "LayerNorm")


def normal(shape, seed):
    return torch.randn(shape, generator=torch.Generator().manual_seed(seed), dtype=torch.float32)


def uniform(shape, seed, low=0.0, high=1.0):
    return low + (high - low) * torch.rand(shape, generator=torch.Generator().manual_seed(seed), dtype=torch.float32)


def labels(count, num_classes, seed):
    """`count` labels in [0, num_classes], the last one the null class (num_classes)."""
    values = torch.randint(0, num_classes, (count,), generator=torch.Generator().manual_seed(seed))
    values[-1] = num_classes
    return values.to(torch.int32)
