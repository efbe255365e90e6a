#!/usr/bin/env python3
"""Writes reference fixture cases by running the official PixelREPA PyTorch code.

usage: npm run make-fixtures -- --official <PixelREPA checkout> --out <folder> [--repa <REPA checkout>]
                               [--timm <dir>] [--fidelity <dir>] [--transformers <dir>]
                               [--cases a,b] [--seed N] [--from <fixtures>]
       npm run make-fixtures -- --list [--official <dir>] [--repa <dir>] [--timm <dir>] [--fidelity <dir>] [--transformers <dir>]

  --official  a checkout of github.com/kaist-cvml/PixelREPA at the pinned commit (5181608):
              git clone https://github.com/kaist-cvml/PixelREPA && git -C PixelREPA checkout 5181608
              (default $PIXELREPA_OFFICIAL; a folder with only some official files writes the cases they allow)
  --repa      a checkout of github.com/sihyun-yu/REPA at 67f7145 (default $PIXELREPA_REPA): the repa-loss case
  --timm      a checkout of github.com/huggingface/pytorch-image-models at v0.9.12 (b996c1a) (default $PIXELREPA_TIMM):
              dinov2-resample and dinov2-hf-names
  --fidelity  a checkout of github.com/toshas/torch-fidelity at 5e211a9 (default $PIXELREPA_FIDELITY):
              inception-fid-forward and fid-stats-and-frechet
  --transformers  a checkout of github.com/huggingface/transformers at 06fefc4, or a folder holding only its
              src/transformers/models/dinov2/convert_dinov2_to_hf.py (default $PIXELREPA_TRANSFORMERS): dinov2-hf-names
              (inception-fid-forward is written only with --from: it recomputes the published case)
  --out       the fixtures folder to write (one sub-folder per case, same format as shared/fixtures: FORMAT.md)
  --cases     case folders or kinds to write (default: every case whose needs are met; the others are
              named on stderr with what they need)
  --seed      seed of the generated weights and inputs (default 0)
  --from      take each case's configuration, weights and inputs from this fixtures folder instead of the
              seed, and recompute only its expected outputs (used to check this generator against a published set)
  --list      print every case this generator writes, what each needs and whether it is there, and
              the published cases it cannot write (--list --json: the same as JSON)

Needs PyTorch (Debian: apt-get install python3-torch; or pip install torch) and numpy; center-crop also
needs PIL (Debian: apt-get install python3-pil); timm and torch-fidelity need torchvision (python3-torchvision),
torch-fidelity also tqdm (python3-tqdm). docs/fixtures.md says which cases it writes and what each needs.
"""
import argparse
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

try:
    import numpy as np  # noqa: F401
    import torch
except ImportError as error:
    sys.exit(f"make-fixtures: {error.name} is not installed for {sys.executable}: apt-get install python3-torch (Debian) or pip install torch numpy")

from official import GET_OFFICIAL, GET_REPA, Official  # noqa: E402
from upstream import PYTHON as UPSTREAM_PYTHON, Upstream  # noqa: E402
from safetensors_file import read_safetensors, write_safetensors  # noqa: E402
from cases import center_crop, dinov2_hf_names, dinov2_preprocess, dinov2_resample, fid_stats, inception_forward, jit_forward, lr_and_ema, mta_forward, pixelrepa_loss, repa_loss, sample, sincos_rope, train_trajectory, torch_checkpoint  # noqa: E402

# Every case this generator writes, in order. Each module has CASE, KIND, NEEDS and generate().
CASES = [jit_forward, mta_forward, sincos_rope, pixelrepa_loss, sample.EULER, sample.HEUN, lr_and_ema, train_trajectory, repa_loss, dinov2_preprocess, center_crop, torch_checkpoint,
         dinov2_resample, dinov2_hf_names, inception_forward, fid_stats]

# Published cases it does not write, and why (docs/fixtures.md says the same): none since the four upstream
# cases (timm, torch-fidelity, transformers) are recomputed from checkouts with --from.
NOT_WRITTEN = {}

INDEX_BEGIN = "<!-- make-fixtures:begin -->"
INDEX_END = "<!-- make-fixtures:end -->"


class SourceCase:
    """An existing case folder: its case.json, weights and inputs (for --from)."""

    def __init__(self, folder):
        self.dir = folder
        with open(os.path.join(folder, "case.json")) as file:
            self.json = json.load(file)
        weights = os.path.join(folder, "weights.safetensors")
        self.weights = read_safetensors(weights) if os.path.exists(weights) else {}
        inputs = os.path.join(folder, "inputs.safetensors")
        self.inputs = read_safetensors(inputs) if os.path.exists(inputs) else {}


def needs_text(case):
    needs = getattr(case, "NEEDS", {})
    parts = ["torch"]
    if needs.get("official"):
        parts.append("PixelREPA " + ", ".join(needs["official"]))
    if needs.get("repa"):
        parts.append("REPA " + ", ".join(needs["repa"]) + " (--repa)")
    parts += [f"{Upstream.NAMES[name]} (--{name})" for name in needs.get("upstream", [])]
    parts += python_needs(case)
    return "; ".join(parts) + (" (only --from: recomputes a published case)" if from_only(case) else "")


def from_only(case):
    return bool(getattr(case, "NEEDS", {}).get("from_only"))


def python_needs(case):
    needs = getattr(case, "NEEDS", {})
    modules = list(needs.get("python", []))
    for name in needs.get("upstream", []):
        modules += [module for module in UPSTREAM_PYTHON[name] if module not in modules]
    return modules


def missing(case, official):
    """What `case` needs that is not here (empty when it can be written)."""
    needs = getattr(case, "NEEDS", {})
    lacking = []
    if needs.get("official") and not official.has(needs["official"]):
        absent = [name for name in needs["official"] if not official.has([name])]
        lacking.append(f"the official {', '.join(absent)} (--official or PIXELREPA_OFFICIAL: a full checkout; {GET_OFFICIAL})")
    if needs.get("repa") and not official.has_repa(needs["repa"]):
        lacking.append(f"a REPA checkout (--repa or PIXELREPA_REPA; {GET_REPA})")
    for name in needs.get("upstream", []):
        if not official.upstream.has(name):
            lacking.append(official.upstream.lacking(name))
    for module in python_needs(case):
        try:
            __import__(module)
        except ImportError:
            lacking.append(f"the Python module {module} (Debian: apt-get install python3-{module.lower()})")
    return lacking


def print_list(official, as_json=False):
    if as_json:
        json.dump({"cases": [{"case": case.CASE, "kind": case.KIND, "needs": needs_text(case), "missing": missing(case, official), "from_only": from_only(case)}
                             for case in CASES],
                   "not_written": NOT_WRITTEN}, sys.stdout, indent=1)
        print()
        return
    print("Cases make-fixtures writes (case, kind, needs, here?):")
    for case in CASES:
        lacking = missing(case, official)
        print(f"  {case.CASE:22} {case.KIND:26} needs {needs_text(case)}")
        print(f"  {'':22} {'':26} {'ready' if not lacking else 'missing: ' + '; '.join(lacking)}")
    print("Published cases it does not write:" + ("" if NOT_WRITTEN else " none"))
    for name, why in NOT_WRITTEN.items():
        print(f"  {name:22} {why}")


def selected(names, official, source):
    if not names:
        chosen = []
        for case in CASES:
            lacking = missing(case, official)
            if lacking:
                print(f"make-fixtures: skipping {case.CASE}: missing {'; '.join(lacking)}", file=sys.stderr)
            elif from_only(case) and not source:
                print(f"make-fixtures: skipping {case.CASE}: it is written only with --from (it recomputes a published case)", file=sys.stderr)
            else:
                chosen.append(case)
        return chosen
    wanted = [name.strip() for name in names.split(",") if name.strip()]
    unknown = [name for name in wanted if not any(name in (case.CASE, case.KIND) for case in CASES)]
    if unknown:
        known = ", ".join(f"{case.CASE} ({case.KIND})" for case in CASES)
        why = "; ".join(f"{name}: {NOT_WRITTEN[name]}" for name in unknown if name in NOT_WRITTEN)
        sys.exit(f"make-fixtures: no generator for {', '.join(unknown)}{' (' + why + ')' if why else ''}; this one writes {known}")
    chosen = [case for case in CASES if case.CASE in wanted or case.KIND in wanted]
    for case in chosen:
        lacking = missing(case, official)
        if lacking:
            sys.exit(f"make-fixtures: {case.CASE} needs {'; '.join(lacking)}")
        if from_only(case) and not source:
            sys.exit(f"make-fixtures: {case.CASE} is written only with --from <fixtures> (it recomputes a published case: docs/fixtures.md)")
    return chosen


def write_case(out, case_json, weights, inputs, expected, files):
    """`files`: other files of the case (name → bytes, or name → tensors for a safetensors file), e.g. a checkpoint."""
    folder = os.path.join(out, case_json["case"])
    os.makedirs(folder, exist_ok=True)
    if weights:
        write_safetensors(os.path.join(folder, "weights.safetensors"), weights)
    if inputs:
        write_safetensors(os.path.join(folder, "inputs.safetensors"), inputs)
    for name, data in files.items():
        if isinstance(data, dict):  # tensors (name → numpy array): a safetensors file
            write_safetensors(os.path.join(folder, name), data)
            continue
        with open(os.path.join(folder, name), "wb") as file:
            file.write(data)
    if expected:  # dinov2-hf-names has none: its files are the outputs
        write_safetensors(os.path.join(folder, "expected.safetensors"), expected)
    with open(os.path.join(folder, "case.json"), "w") as file:
        json.dump(case_json, file, indent=1)
        file.write("\n")
    return folder


def update_index(out, written):
    """Keeps INDEX.md (tests find a fixtures folder by it) with a section listing what this run wrote."""
    path = os.path.join(out, "INDEX.md")
    text = open(path).read() if os.path.exists(path) else "# Fixture index\n\nOne folder per case; format: FORMAT.md.\n"
    rows = "\n".join(f"| [{case}]({case}/case.json) | {kind} |" for case, kind in written)
    section = f"{INDEX_BEGIN}\n## Written by make-fixtures (tools/make-fixtures)\n\n| case | kind |\n| --- | --- |\n{rows}\n{INDEX_END}"
    if INDEX_BEGIN in text and INDEX_END in text:
        text = text[: text.index(INDEX_BEGIN)] + section + text[text.index(INDEX_END) + len(INDEX_END):]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    with open(path, "w") as file:
        file.write(text)


def main():
    parser = argparse.ArgumentParser(prog="npm run make-fixtures --", description=__doc__.split("\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__.split("\n\n", 2)[2])
    parser.add_argument("--official", default=os.environ.get("PIXELREPA_OFFICIAL"))
    parser.add_argument("--repa", default=os.environ.get("PIXELREPA_REPA"))
    parser.add_argument("--timm", default=os.environ.get("PIXELREPA_TIMM"))
    parser.add_argument("--fidelity", default=os.environ.get("PIXELREPA_FIDELITY"))
    parser.add_argument("--transformers", default=os.environ.get("PIXELREPA_TRANSFORMERS"))
    parser.add_argument("--out")
    parser.add_argument("--cases")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--from", dest="source")
    parser.add_argument("--list", action="store_true")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)  # --list as JSON (the tests read it)
    args = parser.parse_args()

    official = Official(args.official, args.repa)
    official.upstream = Upstream(args.timm, args.fidelity, args.transformers)
    if args.list:
        print_list(official, args.json)
        return
    if not args.out:
        parser.error("--out is required (or --list)")
    if args.official is None:
        print(f"make-fixtures: no --official (nor PIXELREPA_OFFICIAL): only cases that need no official file. Get it: {GET_OFFICIAL}", file=sys.stderr)
    torch.set_num_threads(1)  # the published set was made on one thread: same order of sums
    os.makedirs(args.out, exist_ok=True)
    written = []
    for case in selected(args.cases, official, args.source):
        source = None
        if args.source:
            folder = os.path.join(args.source, case.CASE)
            if not os.path.isfile(os.path.join(folder, "case.json")):
                sys.exit(f"make-fixtures: --from {args.source} has no {case.CASE}/case.json")
            source = SourceCase(folder)
        case_json, weights, inputs, expected, *extra = case.generate(official, args.seed, source)
        folder = write_case(args.out, case_json, weights, inputs, expected, extra[0] if extra else {})
        written.append((case.CASE, case.KIND))
        atol = case_json.get("tolerance", {}).get("atol", 0)
        print(f"{case.CASE}  {case.KIND}  {len(expected)} expected tensors  atol {atol:g}  → {folder}")
    update_index(args.out, written)


if __name__ == "__main__":
    main()
