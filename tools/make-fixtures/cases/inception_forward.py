"""inception-fid-forward: torch-fidelity's FeatureExtractorInceptionV3 ('inception-v3-compat') on the published
uint8 images, with the published (seeded, bfloat16-valued) weights given as its feature_extractor_weights_path
(a torch .pth written to a temporary folder; the BatchNorm num_batches_tracked buffers the published file omits
are added as 0, unused in eval). `resized` is the output of the extractor's own call of
interpolate_bilinear_2d_like_tensorflow1x, recorded as it returns; the features are its forward's outputs in
features_list order. Only --from: seeded Inception weights would need the published calibration recipe."""
import os
import tempfile

import numpy as np
import torch

from cases import published

CASE = "inception-fid-forward"
KIND = "inception-fid-forward"
NEEDS = {"upstream": ["fidelity"], "from_only": True}
FILES = ["torch_fidelity/feature_extractor_inceptionv3.py", "torch_fidelity/interpolate_compat_tensorflow.py"]


def generate(official, seed, source=None):
    published.require_source(CASE, source)
    config = source.json["config"]
    features_list = config["features_list"]
    state = {name: torch.from_numpy(value) for name, value in source.weights.items()}
    for name in list(state):
        if name.endswith(".bn.running_var"):
            state.setdefault(name[: -len("running_var")] + "num_batches_tracked", torch.tensor(0, dtype=torch.long))
    images = torch.from_numpy(source.inputs["images"])
    with official.upstream.fidelity() as fidelity, tempfile.TemporaryDirectory() as scratch:
        from torch_fidelity import feature_extractor_inceptionv3 as inception

        path = os.path.join(scratch, "weights.pth")
        torch.save(state, path)
        extractor = fidelity.FeatureExtractorInceptionV3(config.get("registered_name", "inception-v3-compat"), features_list,
                                                         feature_extractor_weights_path=path)
        resized = []
        resize = inception.interpolate_bilinear_2d_like_tensorflow1x

        def recorded(*args, **kwargs):
            out = resize(*args, **kwargs)
            resized.append(out.detach().clone())
            return out

        inception.interpolate_bilinear_2d_like_tensorflow1x = recorded
        try:
            with torch.no_grad():
                features = extractor(images)
        finally:
            inception.interpolate_bilinear_2d_like_tensorflow1x = resize
    expected = {"resized": resized[0].numpy()}
    for name, value in zip(features_list, features):
        expected[f"feat_{name}"] = value.detach().numpy().astype(np.float32)
    case_json = published.case_json(source, CASE, ["fidelity"], {"fidelity": FILES})
    return case_json, {}, {}, expected, published.copied_files(source, ["weights.safetensors", "inputs.safetensors"])
