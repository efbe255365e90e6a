"""sample_euler / sample_heun: the official Denoiser.generate (classifier-free guidance with an interval,
the last step Euler) with its starting noise supplied, recording every step and every _forward_sample call."""
import torch

import seeded
from cases import denoiser_common as dc
from cases.common import load_state, reference_block, run_both, state_arrays, tensor_table
from cases.pixelrepa_loss import JIT, MTA

SAMPLING = dict(num_sampling_steps=4, cfg=3.0, cfg_interval=[0.1, 1.0], noise_scale=1.0, t_eps=0.05)

DESCRIPTIONS = {
    "labels": "[B] int32 class labels (conditional branch); the unconditional branch uses the null class",
    "z0": "[B,3,H,W] NCHW float32 raw torch.randn draw of generate (multiplied by noise_scale)",
    "t_grid": "[steps+1]: linspace(0, 1, steps+1)",
    "final": "[B,3,H,W] NCHW: generate() output",
}


def describe(name):
    if name.startswith("z_step_"):
        return f"[B,3,H,W]: z after step {name[7:]}"
    if name.startswith("v_step_"):
        return f"[B,3,H,W]: velocity used by step {name[7:]} (Heun: average of its two evaluations)"
    if name.startswith("fs_"):
        call, what = name[3:].split(".")
        return f"_forward_sample call #{call} (call order): " + {
            "t": "[B] its timestep", "cfg_scale": "[B] cfg_scale_interval (cfg inside the interval, else 1.0)",
            "v": "[B,3,H,W] guided velocity returned", "x_cond": "[B,3,H,W] net(z, t, labels)",
            "x_uncond": "[B,3,H,W] net(z, t, null class)"}[what]
    return DESCRIPTIONS.get(name, "")


class SampleCase:
    NEEDS = {"official": dc.jit_reference_files()}

    def __init__(self, case, method):
        self.CASE, self.KIND, self.method = case, f"sample_{method}", method
        self.__doc__ = f"{self.KIND}: Denoiser.generate with the {method} stepper"

    def config(self, source):
        if source:
            return source.json["config"]
        steps = SAMPLING["num_sampling_steps"]
        return {
            "function": "denoiser_pixelREPA.Denoiser.generate(labels)",
            "jit": {"class": "model_pixelREPA.JiT", "constructor": JIT},
            "sampling_method": self.method, **SAMPLING, "num_classes": JIT["num_classes"], "img_size": JIT["input_size"],
            "step_kinds": [self.method] * (steps - 1) + ["euler"],
            "num_forward_sample_calls": (2 if self.method == "heun" else 1) * (steps - 1) + 1,
        }

    def generate(self, official, seed, source=None):
        config = self.config(source)
        jit = config["jit"]["constructor"]
        denoiser = {"t_eps": config["t_eps"], "noise_scale": config["noise_scale"]}
        sampling = {key: config[key] for key in ("sampling_method", "num_sampling_steps", "cfg", "cfg_interval")}
        # The Denoiser always builds an adapter; generate() does not use it.
        unused_adapter = {**MTA, **{key: jit[key] for key in ("input_size", "patch_size", "hidden_size", "num_classes", "in_context_len")}}
        model = dc.build_denoiser(official, jit, unused_adapter, denoiser, sampling=sampling)
        if source:
            load_state(model.net, source.weights)
            inputs = {name: torch.from_numpy(value) for name, value in source.inputs.items()}
        else:
            seeded.overwrite_weights(model.net, seed)
            size = jit["input_size"]
            inputs = {"labels": seeded.labels(2, jit["num_classes"], seed + 3).clamp_max(jit["num_classes"] - 1),
                      "z0": seeded.normal([2, jit["in_channels"], size, size], seed + 1)}
        model.eval()
        cls = type(model)

        def run(module, values):
            functions = {"generate": cls.generate, "forward_sample": cls._forward_sample, "euler": cls._euler_step, "heun": cls._heun_step}
            with dc.supplied_draws([("randn", values["z0"])]), dc.captured_locals(functions) as calls:
                final = module.generate(values["labels"].long())
            outputs = {"final": final, "t_grid": calls["generate"][-1][0]["timesteps"][:, 0].flatten()}
            for i, (local, velocity) in enumerate(calls["forward_sample"]):
                outputs.update({f"fs_{i}.t": local["t"].flatten(), f"fs_{i}.cfg_scale": local["cfg_scale_interval"].flatten(),
                                f"fs_{i}.v": velocity, f"fs_{i}.x_cond": local["x_cond"], f"fs_{i}.x_uncond": local["x_uncond"]})
            steps = [returned for name, _, returned in calls["*"] if name in ("euler", "heun")]
            for i, (z_next, v_pred) in enumerate(steps):
                outputs[f"z_step_{i}"], outputs[f"v_step_{i}"] = z_next, v_pred
            return outputs

        expected, _, tolerance = run_both(model, inputs, run)
        input_arrays = {name: value.numpy() for name, value in inputs.items()}
        descriptions = {name: describe(name) for name in [*expected, *input_arrays]}
        case_json = {
            "case": self.CASE, "kind": self.KIND, "config": config, "tolerance": tolerance, "reference": reference_block(self.NEEDS["official"]),
            "weights": {"file": "weights.safetensors", "description": seeded.__doc__.strip() if not source else f"from {source.dir}"},
            "inputs": tensor_table(input_arrays, descriptions), "expected": tensor_table(expected, descriptions),
            "seed": None if source else seed,
        }
        return case_json, state_arrays(model.net), input_arrays, expected


EULER = SampleCase("sample-euler", "euler")
HEUN = SampleCase("sample-heun", "heun")
