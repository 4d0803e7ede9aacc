#!/usr/bin/env python3
"""Dependency index and incremental build benchmark.

1. Index: a generated project of 10,000 templates (macro libraries, partials that import them,
   sections that include partials, layouts that include sections, pages that extend layouts) and
   50,000 configs; `index-bench` (release) loads it, builds the index (reading and parsing every
   template a config can reach) and reports the time and the process's peak RSS (VmHWM).
2. Reverse lookups: the dependents of a leaf template included by one page that 10 configs use,
   in that project and in one of 100 configs: microseconds per lookup, and the ratio.
3. Incremental build: a project of 2,000 configs over 200 pages, each page including a partial
   of its own, so that each partial is used by 10 configs. `regen build --all` from an empty
   output folder, against `regen build` after changing one partial.

usage: bench/index.py [--rounds N] [--keep]
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
RELEASE = os.path.join(ROOT, ".build", "release")


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def make_index_project(folder, configs):
    """10,000 templates in five layers, plus a leaf partial included by one page used by 10 configs."""
    t = os.path.join(folder, "templates")
    counts = {"macros": 2000, "partials": 4000, "sections": 2000, "layouts": 500, "pages": 1498}
    for i in range(counts["macros"]):
        write(f"{t}/macros/m{i}.jinja", f"{{% macro f{i}(x) %}}<m{i} {{{{ x }}}}>{{% endmacro %}}\n")
    for i in range(counts["partials"]):
        a, b = i % 2000, (i * 7 + 3) % 2000  # every macro library is imported
        write(f"{t}/partials/p{i}.jinja",
              f"{{% import 'macros/m{a}.jinja' as a %}}{{% from 'macros/m{b}.jinja' import f{b} %}}"
              f"{{{{ a.f{a}(title) }}}} {{{{ f{b}(title) }}}}\n")
    for i in range(counts["sections"]):
        parts = [(i * 2 + k) % 4000 for k in range(3)]  # every partial is included
        write(f"{t}/sections/s{i}.jinja", "".join(f"{{% include 'partials/p{p}.jinja' %}}" for p in parts) + "\n")
    for i in range(counts["layouts"]):
        write(f"{t}/layouts/l{i}.jinja",
              f"# {{{{ title }}}}\n{{% block body %}}{{% endblock %}}\n"
              + "".join(f"{{% include 'sections/s{i * 4 + k}.jinja' %}}" for k in range(4)) + "\n")  # every section
    for i in range(counts["pages"]):
        write(f"{t}/pages/page{i}.jinja",
              f"{{% extends 'layouts/l{i % 500}.jinja' %}}{{% block body %}}{{% include 'sections/s{(i * 3 + 1) % 2000}.jinja' %}}"
              f"{{% include 'partials/p{(i * 5) % 4000}.jinja' %}}{{% endblock %}}\n")
    write(f"{t}/partials/leaf.jinja", "leaf {{ title }}\n")
    write(f"{t}/pages/leafpage.jinja",
          "{% extends 'layouts/l1.jinja' %}{% block body %}{% include 'partials/leaf.jinja' %}{% endblock %}\n")
    c = os.path.join(folder, "configs")
    for i in range(configs):
        template = "pages/leafpage.jinja" if i < 10 else f"pages/page{i % counts['pages']}.jinja"
        write(f"{c}/g{i // 1000}/c{i}.json", json.dumps({"id": f"c{i}", "template": template, "context": {"title": f"T{i}"}}))


def make_build_project(folder):
    """2,000 configs over 200 pages; partials/p7.jinja is used by exactly 10 of them."""
    t = os.path.join(folder, "templates")
    write(f"{t}/layout.jinja", "# {{ title }}\n\n{% block body %}{% endblock %}\n\n-- generated --\n")
    write(f"{t}/macros.jinja", "{% macro row(k, v) %}| {{ k }} | {{ v }} |{% endmacro %}\n")
    for i in range(200):
        write(f"{t}/partials/p{i}.jinja", f"Partial {i}: {{{{ items | length }}}} items\n")
        write(f"{t}/pages/page{i}.jinja",
              "{% extends 'layout.jinja' %}{% import 'macros.jinja' as m %}{% block body %}"
              f"{{% include 'partials/p{i}.jinja' %}}\n"
              "{% for item in items %}{{ m.row(item.name, item.value) }}\n{% endfor %}{% endblock %}\n")
    write(os.path.join(folder, "data", "shared.json"), json.dumps({"owner": "docs", "version": 3}))
    for i in range(2000):
        items = [{"name": f"field{k}", "value": f"value {i}-{k} " + "x" * 30} for k in range(30)]
        write(os.path.join(folder, "configs", f"g{i // 100}", f"c{i}.json"),
              json.dumps({"id": f"c{i}", "template": f"pages/page{i % 200}.jinja", "output": f"out/c{i}.md",
                          "context": {"title": f"Config {i}", "items": items,
                                      "shared": {"source": "file", "path": "data/shared.json"}}}))


def run(args, cwd):
    start = time.perf_counter()
    result = subprocess.run(args, cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return seconds, result.stdout


def summary_line(output):
    return output.strip().splitlines()[-1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keep", action="store_true")
    options = parser.parse_args()
    subprocess.run(["swift", "build", "-c", "release", "--product", "regen"], cwd=ROOT, check=True, capture_output=True)
    subprocess.run(["swift", "build", "-c", "release", "--product", "index-bench"], cwd=ROOT, check=True, capture_output=True)
    regen = os.path.join(RELEASE, "regen")
    bench = os.path.join(RELEASE, "index-bench")
    work = tempfile.mkdtemp(prefix="regen-index-bench-")
    try:
        rows = []
        lookups = {}
        for configs in (50000, 100):
            folder = os.path.join(work, f"index-{configs}")
            make_index_project(folder, configs)
            runs = []
            for _ in range(options.rounds):
                _, out = run([bench, folder, "templates/partials/leaf.jinja", "100000"], cwd=folder)
                runs.append(json.loads(out))
            best = min(runs, key=lambda r: r["index_s"])
            lookups[configs] = min(r["dependents_us"] for r in runs)
            if configs == 50000:
                rows.append(("index: 10,000 templates, 50,000 configs", f"{best['index_s']:.3f} s", "< 1 s"))
                rows.append(("  (loading the 50,000 config files first)", f"{best['load_s']:.3f} s", "-"))
                rows.append(("  peak RSS (VmHWM), load + index", f"{max(r['peak_mb'] for r in runs):.0f} MB", "< 300 MB"))
                rows.append(("  templates in the index", str(best["templates"]), "-"))
            assert best["dependents"] == 10, best
        rows.append(("dependents of a leaf, 100 configs", f"{lookups[100]:.2f} µs", "-"))
        rows.append(("dependents of a leaf, 50,000 configs", f"{lookups[50000]:.2f} µs", "-"))
        rows.append(("  ratio 50,000 / 100", f"{lookups[50000] / lookups[100]:.2f}", "≈ 1"))

        folder = os.path.join(work, "build")
        make_build_project(folder)
        time.sleep(1.2)  # older than the racy window, as files edited before a build usually are
        full, incremental, first = [], [], []
        for round_ in range(options.rounds):
            shutil.rmtree(os.path.join(folder, "output"), ignore_errors=True)
            shutil.rmtree(os.path.join(folder, ".regen"), ignore_errors=True)
            seconds, out = run([regen, "build", "--all"], cwd=folder)
            assert "2000 written" in out, summary_line(out)
            full.append(seconds)
            # The first build after it re-hashes the 2,000 outputs it just wrote (racily clean).
            path = os.path.join(folder, "templates", "partials", "p7.jinja")
            write(path, f"Partial 7, edit {round_}a: {{{{ items | length }}}} items\n")
            seconds, out = run([regen, "build"], cwd=folder)
            assert "10 written" in out and "1990 skipped" in out, summary_line(out)
            first.append(seconds)
            time.sleep(1.2)
            run([regen, "build"], cwd=folder)
            write(path, f"Partial 7, edit {round_}b: {{{{ items | length }}}} items\n")
            seconds, out = run([regen, "build"], cwd=folder)
            assert "10 written" in out and "1990 skipped" in out, summary_line(out)
            incremental.append(seconds)
        full_s, inc_s, first_s = min(full), min(incremental), min(first)
        rows.append(("full build, 2,000 configs, empty output", f"{full_s * 1000:.0f} ms", "-"))
        rows.append(("incremental build, 1 partial (10 configs)", f"{inc_s * 1000:.0f} ms", "< 10% of full"))
        rows.append(("  ratio", f"{inc_s / full_s * 100:.1f} %", "< 10 %"))
        rows.append(("  right after the full build (outputs re-hashed)", f"{first_s * 1000:.0f} ms ({first_s / full_s * 100:.1f} %)", "-"))

        width = max(len(r[0]) for r in rows)
        print(f"{'measure'.ljust(width)}  {'result':>18}  goal")
        for name, value, goal in rows:
            print(f"{name.ljust(width)}  {value:>18}  {goal}")
    finally:
        if options.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
