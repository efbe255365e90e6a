#!/usr/bin/env python3
"""Writes reference fixture cases by running the official PixelREPA PyTorch code.

usage: npm run make-fixtures -- --official <PixelREPA checkout> --out <folder> [--cases a,b] [--seed N] [--from <fixtures>]

  --official  a checkout of github.com/kaist-cvml/PixelREPA at the pinned commit (5181608):
              git clone https://github.com/kaist-cvml/PixelREPA && git -C PixelREPA checkout 5181608
  --out       the fixtures folder to write (one sub-folder per case, same format as shared/fixtures: FORMAT.md)
  --cases     case folders or kinds to write (default: every case this generator knows)
  --seed      seed of the generated weights and inputs (default 0)
  --from      take each case's configuration, weights and inputs from this fixtures folder instead of the
              seed, and recompute only its expected outputs (used to check this generator against a published set)

Needs PyTorch (Debian: apt-get install python3-torch; or pip install torch) and numpy.
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

from official import load_official  # noqa: E402
from safetensors_file import read_safetensors, write_safetensors  # noqa: E402
from cases import jit_forward, mta_forward, sincos_rope  # noqa: E402

# Every case this generator writes. Cases of the public set it does not write yet: see docs/fixtures.md.
CASES = [jit_forward, mta_forward, sincos_rope]

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
        self.inputs = read_safetensors(os.path.join(folder, "inputs.safetensors"))


def selected(names):
    if not names:
        return CASES
    wanted = [name.strip() for name in names.split(",") if name.strip()]
    unknown = [name for name in wanted if not any(name in (case.CASE, case.KIND) for case in CASES)]
    if unknown:
        known = ", ".join(f"{case.CASE} ({case.KIND})" for case in CASES)
        sys.exit(f"make-fixtures: no generator for {', '.join(unknown)}; this one writes {known} (docs/fixtures.md says which cases it does not write yet)")
    return [case for case in CASES if case.CASE in wanted or case.KIND in wanted]


def write_case(out, case_json, weights, inputs, expected):
    folder = os.path.join(out, case_json["case"])
    os.makedirs(folder, exist_ok=True)
    if weights:
        write_safetensors(os.path.join(folder, "weights.safetensors"), weights)
    write_safetensors(os.path.join(folder, "inputs.safetensors"), inputs)
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
    parser.add_argument("--official", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--cases")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--from", dest="source")
    args = parser.parse_args()

    torch.set_num_threads(1)  # the published set was made on one thread: same order of sums
    official = load_official(args.official)
    os.makedirs(args.out, exist_ok=True)
    written = []
    for case in selected(args.cases):
        source = None
        if args.source:
            folder = os.path.join(args.source, case.CASE)
            if not os.path.isfile(os.path.join(folder, "case.json")):
                sys.exit(f"make-fixtures: --from {args.source} has no {case.CASE}/case.json")
            source = SourceCase(folder)
        case_json, weights, inputs, expected = case.generate(official, args.seed, source)
        folder = write_case(args.out, case_json, weights, inputs, expected)
        written.append((case.CASE, case.KIND))
        print(f"{case.CASE}  {case.KIND}  {len(expected)} expected tensors  atol {case_json['tolerance']['atol']:g}  → {folder}")
    update_index(args.out, written)


if __name__ == "__main__":
    main()
