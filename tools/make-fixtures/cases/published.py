"""What the upstream cases share: with `--from`, the published case.json with this run's reference block and the
published weight/input files copied as they are (byte for byte)."""
import copy
import os

import numpy as np
import torch

import upstream


def require_source(case, source):
    if source is None:
        raise SystemExit(f"make-fixtures: {case} is written only with --from <fixtures> (its weights and inputs come from "
                         f"the published case; docs/fixtures.md)")


def reference_block(packages, files):
    """This run's reference block: the upstream packages (repository, commit, files run) and versions."""
    return {
        **{name: {**upstream.reference(name), "files": files.get(name, [])} for name in packages},
        "torch": torch.__version__,
        "numpy": np.__version__,
        "device": "cpu",
        "torch_num_threads": torch.get_num_threads(),
        "generator": "tools/make-fixtures (npm run make-fixtures)",
    }


def case_json(source, case, packages, files):
    """The published case.json, its reference block replaced by this run's (upstream packages and commits)."""
    result = copy.deepcopy(source.json)
    result["case"] = case
    result["reference"] = {**reference_block(packages, files), "generator": "tools/make-fixtures (npm run make-fixtures) --from the published case",
                           "published_reference": source.json.get("reference")}
    return result


def copied_files(source, names):
    """The source case's files `names` (those it has), byte for byte."""
    copied = {}
    for name in names:
        path = os.path.join(source.dir, name)
        if os.path.isfile(path):
            with open(path, "rb") as file:
                copied[name] = file.read()
    return copied
