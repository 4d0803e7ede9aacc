#!/usr/bin/env python3
"""Batch benchmark: the shared executor against its goals (issue 5).

A `command` generator that sleeps 0.5 s (`sh -c "sleep 0.5; cat"`) stands in for an AI-powered
generator. Measured with the release `regen`, wall time from outside the process (start-up and
project loading included):

  1. 10 items, 1 command slot: the sequential baseline (what Chora Compose's batch does).
  2. 10 items, 10 command slots: goal under 0.6 s, speedup over (1) at least 8.5x.
  3. 20 items, max_batch_size 10 (--chunk), 10 slots: goal under 1.2 s (no barrier between chunks).
  4. `regen check` on 2,000 configs (the project of bench/build.py), 2 render slots against 1:
     goal at least 1.8x. Shown for the whole command and for its render phase (regen's own
     `run_seconds`): start-up, the folder walk and the cross-config checks are serial.
  5. What the executor adds per item: `regen-bench executor` runs 100,000 items that do nothing
     through the executor alone and through the whole scheduling path; goal under 50 us.

usage: bench/batch.py [--rounds N] [--configs N]    (builds the release products first)
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
sys.path.insert(0, HERE)
from build import make_project  # noqa: E402  (the 2,000-config project of bench/build.py)

RELEASE = os.path.join(ROOT, ".build", "release")


def build():
    subprocess.run(["swift", "build", "-c", "release", "--product", "regen"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    subprocess.run(["swift", "build", "-c", "release", "--product", "regen-bench"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)


def run(arguments, cwd, expect=0):
    start = time.perf_counter()
    result = subprocess.run([os.path.join(RELEASE, "regen")] + arguments, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != expect:
        sys.exit(f"regen {' '.join(arguments)} exited {result.returncode}:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return elapsed, result.stdout


def command_project(path, items, slots, max_batch):
    os.makedirs(os.path.join(path, "configs"))
    os.makedirs(os.path.join(path, "templates"))
    with open(os.path.join(path, "watch.yaml"), "w") as f:
        f.write(f"batch:\n  max_batch_size: {max_batch}\ngenerators:\n  command:\n    enabled: true\n"
                f"    concurrency: {slots}\n")
    for i in range(items):
        with open(os.path.join(path, "configs", f"item-{i:02}.json"), "w") as f:
            json.dump({"generator": "command", "command": ["sh", "-c", "sleep 0.5; cat"],
                       "context": {"n": i}, "output": f"items/item-{i:02}.json"}, f)
    return [f"item-{i:02}" for i in range(items)]


def batch_case(items, slots, max_batch, rounds):
    """Best wall time over `rounds` fresh runs, and regen's own summary of the best one."""
    best = None
    for _ in range(rounds):
        folder = tempfile.mkdtemp(prefix="regen-batch-bench-")
        try:
            ids = command_project(folder, items, slots, max_batch)
            arguments = ["batch", "--json"] + (["--chunk"] if items > max_batch else []) + ids
            elapsed, output = run(arguments, folder)
            summary = json.loads(output.strip().splitlines()[-1])
            assert summary["succeeded"] == items, summary
            if best is None or elapsed < best[0]:
                best = (elapsed, summary)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    return best


def check_case(configs, rounds):
    """Whole `regen check` wall times (outside) and the render phase (regen's `run_seconds`), for
    1 and 2 render slots, interleaved so that other load on the machine hits both alike."""
    folder = tempfile.mkdtemp(prefix="regen-check-bench-")
    try:
        make_project(folder, configs, 200, random.Random(7))
        whole = {1: [], 2: []}
        phase = {1: [], 2: []}
        run(["check"], folder)  # warm the page cache
        for _ in range(rounds * 2):
            for slots in (1, 2):
                with open(os.path.join(folder, "watch.yaml"), "w") as f:
                    f.write(f"templates: templates\nconfigs: configs\noutput: output\nbatch:\n  concurrency: {slots}\n")
                whole[slots].append(run(["check"], folder)[0])
                summary = json.loads(run(["check", "--json"], folder)[1].strip().splitlines()[-1])
                phase[slots].append(summary["run_seconds"])
        return {slots: min(whole[slots]) for slots in (1, 2)}, {slots: min(phase[slots]) for slots in (1, 2)}
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--configs", type=int, default=2000)
    parser.add_argument("--no-build", action="store_true")
    args = parser.parse_args()
    if not args.no_build:
        build()

    sequential, _ = batch_case(10, 1, 10, 1)
    parallel, parallel_summary = batch_case(10, 10, 10, args.rounds)
    chunked, chunked_summary = batch_case(20, 10, 10, args.rounds)
    check, phase = check_case(args.configs, args.rounds)
    probe = json.loads(subprocess.run([os.path.join(RELEASE, "regen-bench"), "executor", "100000", "2"],
                                      capture_output=True, text=True, check=True).stdout)

    rows = [
        ("10 items x 0.5 s, 1 slot (sequential)", f"{sequential:.2f} s", "(baseline)", True),
        ("10 items x 0.5 s, 10 slots", f"{parallel:.3f} s", "< 0.6 s", parallel < 0.6),
        ("  speedup over sequential", f"{sequential / parallel:.1f}x", ">= 8.5x", sequential / parallel >= 8.5),
        ("  regen's own speedup (item time / wall)", f"{parallel_summary['speedup']:.1f}x", "", True),
        ("20 items, max_batch_size 10, 10 slots", f"{chunked:.3f} s", "< 1.2 s", chunked < 1.2),
        (f"regen check, {args.configs} configs, 1 slot", f"{check[1]:.3f} s", "", True),
        (f"regen check, {args.configs} configs, 2 slots", f"{check[2]:.3f} s", "", True),
        ("  speedup, 2 slots over 1 (whole command)", f"{check[1] / check[2]:.2f}x", ">= 1.8x", check[1] / check[2] >= 1.8),
        ("  render phase with --json events, 1 slot", f"{phase[1]:.3f} s", "", True),
        ("  render phase with --json events, 2 slots", f"{phase[2]:.3f} s", "", True),
        ("  speedup, 2 slots over 1 (render phase, --json)", f"{phase[1] / phase[2]:.2f}x", ">= 1.8x", phase[1] / phase[2] >= 1.8),
        ("executor alone, per item", f"{probe['executor_us']:.1f} us", "< 50 us", probe["executor_us"] < 50),
        ("executor + scheduler, per item", f"{probe['scheduler_us']:.1f} us", "< 50 us", probe["scheduler_us"] < 50),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"{'case'.ljust(width)}  {'measured':>10}  {'goal':>9}")
    for name, value, goal, ok in rows:
        mark = "" if not goal or goal.startswith("(") else ("  ok" if ok else "  MISSED")
        print(f"{name.ljust(width)}  {value:>10}  {goal:>9}{mark}")
    print(f"\n({os.cpu_count()} cores; best of {args.rounds}; wall times from outside the process, start-up included)")


if __name__ == "__main__":
    main()
