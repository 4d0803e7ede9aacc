#!/usr/bin/env python3
"""Build benchmark: `regen build --all` against a Python script doing the same work with Jinja2.

A generated project of 2,000 content configs and 200 templates (each extends a shared layout,
imports a macro library and includes partials; contexts hold records, lists and a shared data
file) is built twice by each side, alternating, from an empty output folder ("cold") and with the
outputs in place and unchanged ("warm"). The Python side loads the configs and data files,
renders with Jinja2 3.1.6 and writes each output with a temporary file and a rename, as a simple
generator does. Both sides' outputs are compared byte for byte. Beside them, the disk's floor:
writing the same 2,000 files atomically from one thread (write + rename), with nothing rendered.

usage: bench/build.py [--configs N] [--templates N] [--rounds N]
"""
import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

PYTHON_BUILD = r'''
import json, os, sys, jinja2
project = sys.argv[1]
env = jinja2.Environment(loader=jinja2.FileSystemLoader(os.path.join(project, "templates")),
                         undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
data_cache = {}
def resolve(value):
    if isinstance(value, dict):
        if value.get("source") == "file":
            path = value["path"]
            if path not in data_cache:
                with open(os.path.join(project, path)) as f:
                    data_cache[path] = json.load(f)
            return data_cache[path]
        return {k: resolve(v) for k, v in value.items()}
    return value
out_root = os.path.join(project, "output")
for folder, _, files in os.walk(os.path.join(project, "configs")):
    for name in sorted(files):
        with open(os.path.join(folder, name)) as f:
            config = json.load(f)
        text = env.get_template(config["template"]).render(resolve(config["context"]))
        target = os.path.join(out_root, config["output"])
        os.makedirs(os.path.dirname(target), exist_ok=True)
        tmp = target + ".tmp"
        with open(tmp, "w") as f:
            f.write(text)
        os.replace(tmp, target)
'''


def make_project(path, configs, templates, rng):
    os.makedirs(os.path.join(path, "templates", "partials"))
    os.makedirs(os.path.join(path, "configs"))
    os.makedirs(os.path.join(path, "data"))
    with open(os.path.join(path, "watch.yaml"), "w") as f:
        f.write("templates: templates\nconfigs: configs\noutput: output\n")
    t = os.path.join(path, "templates")
    with open(os.path.join(t, "layout.md.jinja"), "w") as f:
        f.write("# {% block title %}{{ title }}{% endblock %}\n\n{% block body %}{% endblock %}\n\n"
                "{% include 'partials/footer.md.jinja' %}\n")
    with open(os.path.join(t, "partials", "footer.md.jinja"), "w") as f:
        f.write("---\n{{ site.name }} {{ site.version }} · generated from {{ id }}\n")
    with open(os.path.join(t, "partials", "macros.md.jinja"), "w") as f:
        f.write("{% macro row(item) %}| {{ item.name }} | {{ item.kind }} | {{ item.size }} | "
                "{{ 'yes' if item.required else 'no' }} |{% endmacro %}\n")
    for i in range(templates):
        with open(os.path.join(t, f"page-{i:03}.md.jinja"), "w") as f:
            f.write("{% extends 'layout.md.jinja' %}\n{% import 'partials/macros.md.jinja' as m %}\n"
                    "{% block title %}" + f"Page {i}: " + "{{ title | title }}{% endblock %}\n"
                    "{% block body %}\n{{ summary }}\n\n| name | kind | size | required |\n|---|---|---|---|\n"
                    "{% for item in items %}{{ m.row(item) }}\n{% endfor %}\n"
                    "Total size: {{ items | sum(attribute='size') }} in {{ items | length }} items.\n"
                    "{% for tag in tags | sort %}`{{ tag }}`{{ ', ' if not loop.last }}{% endfor %}\n{% endblock %}\n")
    with open(os.path.join(path, "data", "site.json"), "w") as f:
        json.dump({"name": "Bench", "version": "1.0"}, f)
    words = "alpha beta gamma delta epsilon zeta eta theta iota kappa".split()
    for i in range(configs):
        config = {
            "id": f"page-{i:04}",
            "template": f"page-{i % templates:03}.md.jinja",
            "output": f"pages/{i % 20:02}/page-{i:04}.md",
            "context": {
                "title": " ".join(rng.choice(words) for _ in range(3)),
                "summary": " ".join(rng.choice(words) for _ in range(30)),
                "items": [{"name": rng.choice(words), "kind": rng.choice(["a", "b"]),
                           "size": rng.randint(1, 999), "required": rng.random() < 0.5} for _ in range(12)],
                "tags": [rng.choice(words) for _ in range(5)],
                "site": {"source": "file", "path": "data/site.json"},
                "id": f"page-{i:04}",
            },
        }
        with open(os.path.join(path, "configs", f"page-{i:04}.json"), "w") as f:
            json.dump(config, f)


def timed(command, cwd=None):
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"{command[0]} failed ({result.returncode}):\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return elapsed


def disk_floor(folder, count):
    """2,000 atomic writes (write a temporary file, rename) of the outputs' sizes, one thread."""
    payload = "x" * 900
    os.makedirs(folder)
    start = time.perf_counter()
    for i in range(count):
        target = os.path.join(folder, f"{i}.md")
        with open(target + ".tmp", "w") as f:
            f.write(payload)
        os.replace(target + ".tmp", target)
    return time.perf_counter() - start


def tree(path):
    out = {}
    for folder, _, files in os.walk(path):
        for name in files:
            full = os.path.join(folder, name)
            with open(full, "rb") as f:
                out[os.path.relpath(full, path)] = f.read()
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--configs", type=int, default=2000)
    parser.add_argument("--templates", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    subprocess.run(["swift", "build", "-c", "release", "--product", "regen"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    bin_dir = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT, check=True,
                             capture_output=True, text=True).stdout.strip()
    regen = os.path.join(bin_dir, "regen")

    with tempfile.TemporaryDirectory() as tmp:
        regen_project = os.path.join(tmp, "regen")
        make_project(regen_project, args.configs, args.templates, random.Random(7))
        python_project = os.path.join(tmp, "python")
        shutil.copytree(regen_project, python_project)
        script = os.path.join(tmp, "build_with_jinja2.py")
        with open(script, "w") as f:
            f.write(PYTHON_BUILD)

        times = {"regen cold": [], "regen warm": [], "python cold": [], "python warm": [], "floor": []}
        for round_ in range(args.rounds):
            for project in (regen_project, python_project):
                shutil.rmtree(os.path.join(project, "output"), ignore_errors=True)
            subprocess.run(["sync"])
            times["regen cold"].append(timed([regen, "build", "--all", "--project", regen_project]))
            times["python cold"].append(timed([sys.executable, script, python_project]))
            times["regen warm"].append(timed([regen, "build", "--all", "--project", regen_project]))
            times["python warm"].append(timed([sys.executable, script, python_project]))
            times["floor"].append(disk_floor(os.path.join(tmp, f"floor-{round_}"), args.configs))

        a, b = tree(os.path.join(regen_project, "output")), tree(os.path.join(python_project, "output"))
        if a != b:
            differing = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
            sys.exit(f"outputs differ ({len(differing)} files, e.g. {differing[:3]}): fix that first")

    best = {k: min(v) for k, v in times.items()}
    print(f"project: {args.configs} configs, {args.templates} templates; best of {args.rounds} alternating "
          f"rounds; outputs identical ({len(a)} files)")
    print()
    print("| build | Regen (s) | Python + Jinja2 (s) | Python / Regen |")
    print("|---|---:|---:|---:|")
    print(f"| empty output folder | {best['regen cold']:.3f} | {best['python cold']:.3f} | "
          f"{best['python cold'] / best['regen cold']:.1f}× |")
    print(f"| outputs in place, unchanged | {best['regen warm']:.3f} | {best['python warm']:.3f} | "
          f"{best['python warm'] / best['regen warm']:.1f}× |")
    print()
    print(f"disk floor: {args.configs} atomic writes from one thread, nothing rendered: {best['floor']:.3f} s "
          f"(Regen's cold build is {best['regen cold'] / best['floor']:.1f}× that)")


if __name__ == "__main__":
    main()
