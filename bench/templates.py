#!/usr/bin/env python3
"""Template engine benchmark: Regen against Python's Jinja2 3.1.6 on the same corpus, in one run.

Parsing: each corpus template parsed from source (Regen's parser; Jinja2's `Environment.parse`,
which stops at the AST, and `from_string`, which also compiles to Python code as every Jinja2
render needs). Rendering: steady state, templates cached, same contexts. Both engines' outputs are
compared byte for byte before any figure is printed. Times are the CPU time of the rendering
thread (steadier than the wall clock on a shared machine; both sides are single-threaded). Rounds
alternate between the engines so that noise hits both; the table reports the best round of each.

usage: bench/templates.py [--rounds N]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import jinja2

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CORPUS = os.path.join(HERE, "corpus")
PARSE_ROUNDS = 400
RENDER_ROUNDS = 300


def jinja_round(cases):
    names = sorted(n for n in jinja2.FileSystemLoader(CORPUS).list_templates() if n.endswith(".jinja"))
    sources = [open(os.path.join(CORPUS, n), encoding="utf-8").read() for n in names]
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    start = time.thread_time()
    for _ in range(PARSE_ROUNDS):
        for source in sources:
            env.parse(source)
    parse = (time.thread_time() - start) / (PARSE_ROUNDS * len(sources))
    start = time.thread_time()
    for _ in range(PARSE_ROUNDS // 4):
        for source in sources:
            env.from_string(source)
    compile_ = (time.thread_time() - start) / (PARSE_ROUNDS // 4 * len(sources))

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(CORPUS), undefined=jinja2.StrictUndefined,
                             keep_trailing_newline=True)
    outputs = [env.get_template(c["template"]).render(c["context"]) for c in cases]
    per_case = []
    for c in cases:
        start = time.thread_time()
        for _ in range(RENDER_ROUNDS):
            env.get_template(c["template"]).render(c["context"])
        per_case.append((time.thread_time() - start) / RENDER_ROUNDS * 1e6)
    return {"parse_us": parse * 1e6, "compile_us": compile_ * 1e6, "render_us": sum(per_case) / len(cases),
            "case_us": per_case}, outputs


def regen_round(binary, contexts_path, out_dir):
    result = subprocess.run([binary, CORPUS, contexts_path, out_dir, str(PARSE_ROUNDS), str(RENDER_ROUNDS)],
                            check=True, capture_output=True, text=True)
    return json.loads(result.stdout)


def best_of(a, b):
    """The smaller of each figure of two rounds (lists element by element)."""
    out = {}
    for key, value in a.items():
        if isinstance(value, list):
            out[key] = [min(x, y) for x, y in zip(value, b[key])]
        elif isinstance(value, float):
            out[key] = min(value, b[key])
        else:
            out[key] = value
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    assert jinja2.__version__ == "3.1.6", f"Jinja2 3.1.6 expected, found {jinja2.__version__}"

    subprocess.run(["swift", "build", "-c", "release", "--product", "regen-bench"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    bin_dir = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT, check=True,
                             capture_output=True, text=True).stdout.strip()
    binary = os.path.join(bin_dir, "regen-bench")

    with tempfile.TemporaryDirectory() as tmp:
        contexts_path = os.path.join(tmp, "contexts.json")
        with open(contexts_path, "w") as f:
            subprocess.run([sys.executable, os.path.join(HERE, "make_contexts.py")], stdout=f, check=True)
        with open(contexts_path) as f:
            cases = json.load(f)

        jinja_best, regen_best = None, None
        for _ in range(args.rounds):
            j, outputs = jinja_round(cases)
            r = regen_round(binary, contexts_path, tmp)
            jinja_best = j if jinja_best is None else best_of(jinja_best, j)
            regen_best = r if regen_best is None else best_of(regen_best, r)
        for i, expected in enumerate(outputs):
            with open(os.path.join(tmp, f"{i}.out"), encoding="utf-8") as f:
                if f.read() != expected:
                    sys.exit(f"outputs differ on case {i} ({cases[i]['template']}): fix the engine first")

    print(f"corpus: {regen_best['templates']} templates, {regen_best['cases']} render cases, "
          f"best of {args.rounds} alternating rounds; outputs identical")
    print()
    print(f"| measure | Regen | Jinja2 3.1.6 | Jinja2 / Regen |")
    print(f"|---|---:|---:|---:|")
    print(f"| parse one template (µs) | {regen_best['parse_us']:.1f} | {jinja_best['parse_us']:.1f} "
          f"| {jinja_best['parse_us'] / regen_best['parse_us']:.1f}× |")
    print(f"| parse + compile (Jinja2 from_string) (µs) | {regen_best['parse_us']:.1f} | "
          f"{jinja_best['compile_us']:.1f} | {jinja_best['compile_us'] / regen_best['parse_us']:.1f}× |")
    print(f"| render one case, steady state, mean (µs) | {regen_best['render_us']:.1f} | "
          f"{jinja_best['render_us']:.1f} | {jinja_best['render_us'] / regen_best['render_us']:.1f}× |")
    by_template = {}
    for i, c in enumerate(cases):
        r, j = by_template.get(c["template"], (0.0, 0.0))
        by_template[c["template"]] = (r + regen_best["case_us"][i], j + jinja_best["case_us"][i])
    for name, (r, j) in by_template.items():
        print(f"| render {name} (µs, all its cases) | {r:.1f} | {j:.1f} | {j / r:.1f}× |")


if __name__ == "__main__":
    main()
