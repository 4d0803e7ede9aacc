#!/usr/bin/env python3
"""Save-to-output latency of `regen watch`, side by side with a Python watcher (watchfiles +
Jinja2 3.1.6) doing the same job, plus the daemon's idle CPU and resident memory.

    python3 bench/watch.py [--saves 200] [--idle 60] [--big 20000] [--skip-python]

A generated project: N configs, N/10 templates (each the template of 10 configs, each including a
shared partial), settle_ms 20. Each save rewrites one template in place with new bytes; the
latency is from just after the save (the file closed) to the moment inotify reports the LAST of
its 10 dependent outputs renamed (or linked) into place in the output folder. Both watchers are
measured the same way, one after the other on the same project (never at once: 2 cores).
Needs a release build (`swift build -c release --product regen`; done here when missing).
"""
import argparse, ctypes, ctypes.util, json, os, random, shutil, signal, struct, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REGEN = os.path.join(ROOT, ".build", "release", "regen")
DEPENDENTS = 10

libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
IN_CLOSE_WRITE, IN_MOVED_TO, IN_CREATE, IN_NONBLOCK, IN_CLOEXEC = 0x8, 0x80, 0x100, 0o4000, 0o2000000


class OutputWatch:
    """inotify on one output folder: names renamed, linked or written into place, with times."""
    def __init__(self, folder):
        self.fd = libc.inotify_init1(IN_CLOEXEC)
        if libc.inotify_add_watch(self.fd, folder.encode(), IN_MOVED_TO | IN_CREATE | IN_CLOSE_WRITE) < 0:
            raise OSError(ctypes.get_errno(), "inotify_add_watch " + folder)

    def wait_for(self, names, timeout=10.0):
        """Blocks until every name in `names` has arrived; returns the monotonic time of the last."""
        import select
        pending = set(names)
        end = time.monotonic() + timeout
        last = None
        while pending:
            left = end - time.monotonic()
            if left <= 0:
                raise TimeoutError("outputs not written: %s" % sorted(pending)[:3])
            ready, _, _ = select.select([self.fd], [], [], left)
            if not ready:
                continue
            data = os.read(self.fd, 65536)
            now = time.monotonic()
            offset = 0
            while offset < len(data):
                _, mask, _, length = struct.unpack_from("iIII", data, offset)
                name = data[offset + 16: offset + 16 + length].rstrip(b"\0").decode()
                offset += 16 + length
                # Regen links a new file in (IN_CREATE of the final name) or renames over an old
                # one (IN_MOVED_TO); the Python watcher renames (os.replace).
                if name in pending and mask & (IN_MOVED_TO | IN_CREATE):
                    pending.discard(name)
                    last = now
        return last

    def close(self):
        os.close(self.fd)


def template_text(number, version):
    return ("{% include 'partials/head.jinja' %}\nTemplate " + str(number) + ", version " + str(version)
            + ": {{ body }}\n{% for item in items %}- {{ item }}\n{% endfor %}")


def make_project(folder, configs):
    os.makedirs(os.path.join(folder, "templates", "partials"))
    os.makedirs(os.path.join(folder, "configs"))
    with open(os.path.join(folder, "watch.yaml"), "w") as f:
        f.write("watch:\n  settle_ms: 20\n  max_delay_ms: 250\n")
    with open(os.path.join(folder, "templates", "partials", "head.jinja"), "w") as f:
        f.write("# {{ title }}\n")
    for t in range(configs // DEPENDENTS):
        with open(os.path.join(folder, "templates", "t%05d.jinja" % t), "w") as f:
            f.write(template_text(t, 0))
    for c in range(configs):
        config = {"id": "c%05d" % c, "template": "t%05d.jinja" % (c // DEPENDENTS),
                  "context": {"title": "Config %d" % c, "body": "text " * 20, "items": list(range(5))},
                  "output": "c%05d.md" % c}
        with open(os.path.join(folder, "configs", "c%05d.json" % c), "w") as f:
            json.dump(config, f)


def save(folder, template, version):
    path = os.path.join(folder, "templates", "t%05d.jinja" % template)
    with open(path, "w") as f:
        f.write(template_text(template, version))
    return time.monotonic()


def measure(folder, output, saves, seed, configs):
    """Latencies in ms of `saves` saves, the outputs observed in `output`."""
    watch = OutputWatch(output)
    rng = random.Random(seed)
    latencies = []
    for version in range(1, saves + 1):
        template = rng.randrange(configs // DEPENDENTS)
        names = ["c%05d.md" % (template * DEPENDENTS + i) for i in range(DEPENDENTS)]
        saved = save(folder, template, version)
        done = watch.wait_for(names)
        latencies.append((done - saved) * 1000)
        time.sleep(rng.uniform(0.03, 0.08))  # let both sides go quiet between saves
    watch.close()
    return latencies


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def start_regen(folder):
    process = subprocess.Popen([REGEN, "watch", "--json"], cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    for line in process.stdout:
        event = json.loads(line)
        if event["event"] == "run" and event["reason"] == "catch-up":
            break
    # Keep reading its log: a full pipe would stop the daemon at its next line.
    import threading
    threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True).start()
    return process


def stop(process):
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)


def cpu_ms(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def thread_cpu_ns(pid):
    """CPU time of the process's threads in ns (/proc/PID/task/*/schedstat): finer than the 10 ms
    ticks of utime and stime."""
    total = 0
    for task in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/schedstat" % (pid, task)) as f:
                total += int(f.read().split()[0])
        except OSError:
            pass
    return total


def rss_mb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


PYTHON_WATCHER = r'''
import json, os, sys, tempfile, time
import jinja2, jinja2.meta, watchfiles
root, output = sys.argv[1], sys.argv[2]
env = jinja2.Environment(loader=jinja2.FileSystemLoader(os.path.join(root, "templates")), keep_trailing_newline=True,
                         undefined=jinja2.StrictUndefined)
configs = {}
for name in os.listdir(os.path.join(root, "configs")):
    with open(os.path.join(root, "configs", name)) as f:
        config = json.load(f)
    configs[config["id"]] = config
users = {}     # template -> configs whose template it is
includers = {} # template -> templates that include it
def scan(name):
    with open(os.path.join(root, "templates", name)) as f:
        source = f.read()
    for child in jinja2.meta.find_referenced_templates(env.parse(source)) or []:
        includers.setdefault(child, set()).add(name)
for config in configs.values():
    users.setdefault(config["template"], []).append(config["id"])
for folder, _, files in os.walk(os.path.join(root, "templates")):
    for name in files:
        scan(os.path.relpath(os.path.join(folder, name), os.path.join(root, "templates")))
def dependents(name):
    seen, queue, found = {name}, [name], []
    while queue:
        current = queue.pop()
        found += users.get(current, [])
        for parent in includers.get(current, ()):
            if parent not in seen:
                seen.add(parent); queue.append(parent)
    return found
def render(config_id):
    config = configs[config_id]
    text = env.get_template(config["template"]).render(**config["context"])
    fd, temporary = tempfile.mkstemp(dir=output, prefix=".tmp-")
    with os.fdopen(fd, "w") as f:
        f.write(text)
    os.replace(temporary, os.path.join(output, config["output"]))
os.makedirs(output, exist_ok=True)
for config_id in configs:
    render(config_id)
ready = False
# step: the quiet period (settle_ms); debounce: the longest wait in a stream (max_delay_ms). The
# first (empty) yield after rust_timeout says the watch is in place.
for changes in watchfiles.watch(os.path.join(root, "templates"), step=20, debounce=250, rust_timeout=300,
                                yield_on_timeout=True):
    if not ready:
        print("ready", flush=True)
        ready = True
    for _, path in changes:
        name = os.path.relpath(path, os.path.join(root, "templates"))
        if name.endswith(".jinja") and os.path.exists(path):
            scan(name)
            for config_id in dependents(name):
                render(config_id)
'''


def start_python(folder, output):
    script = os.path.join(folder, "..", "python_watcher.py")
    with open(script, "w") as f:
        f.write(PYTHON_WATCHER)
    process = subprocess.Popen([sys.executable, script, folder, output], stdout=subprocess.PIPE, text=True)
    if process.stdout.readline().strip() != "ready":
        raise RuntimeError("the Python watcher did not start")
    return process


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--configs", type=int, default=2000)
    parser.add_argument("--big", type=int, default=20000)
    parser.add_argument("--saves", type=int, default=200)
    parser.add_argument("--idle", type=int, default=60)
    parser.add_argument("--skip-python", action="store_true")
    args = parser.parse_args()
    if not os.path.exists(REGEN):
        subprocess.check_call(["swift", "build", "-c", "release", "--product", "regen"], cwd=ROOT)
    try:
        import watchfiles  # noqa: F401
    except ImportError:
        subprocess.check_call([sys.executable, "-m", "pip", "install", "-q", "watchfiles"])
    import jinja2
    rows = []
    work = tempfile.mkdtemp(prefix="regen-watch-bench-")
    try:
        small = os.path.join(work, "small")
        make_project(small, args.configs)
        daemon = start_regen(small)
        try:
            latencies = measure(small, os.path.join(small, "output"), args.saves, 1, args.configs)
            memory = rss_mb(daemon.pid)
            # Past the state save (1 s after the last run) and the executor's idle threads
            # retiring (10 s without work): from then on nothing is due.
            time.sleep(12)
            before, before_ns = cpu_ms(daemon.pid), thread_cpu_ns(daemon.pid)
            time.sleep(args.idle)
            idle = cpu_ms(daemon.pid) - before
            idle_precise = (thread_cpu_ns(daemon.pid) - before_ns) / 1e6
        finally:
            stop(daemon)
        rows.append(("regen watch, %d configs" % args.configs, latencies))

        python = None
        if not args.skip_python:
            watcher = start_python(small, os.path.join(work, "output-py"))
            try:
                python = measure(small, os.path.join(work, "output-py"), args.saves, 1, args.configs)
            finally:
                watcher.terminate()
                watcher.wait()
            rows.append(("Python watchfiles %s + Jinja2 %s, %d configs" % (watchfiles_version(), jinja2.__version__, args.configs), python))

        big_latencies = None
        if args.big:
            big = os.path.join(work, "big")
            make_project(big, args.big)
            started = time.monotonic()
            daemon = start_regen(big)
            catch_up = time.monotonic() - started
            try:
                big_latencies = measure(big, os.path.join(big, "output"), args.saves, 2, args.big)
                big_memory = rss_mb(daemon.pid)
            finally:
                stop(daemon)
            rows.append(("regen watch, %d configs" % args.big, big_latencies))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print("\nSave of one template → its %d dependent outputs in place (%d saves, settle_ms 20):\n" % (DEPENDENTS, args.saves))
    print("| watcher | median ms | p90 ms | p99 ms | max ms |")
    print("|---|---:|---:|---:|---:|")
    for name, values in rows:
        print("| %s | %.1f | %.1f | %.1f | %.1f |" % (name, percentile(values, 50), percentile(values, 90),
                                                    percentile(values, 99), max(values)))
    small_median = percentile(latencies, 50)
    print("\n| figure | measured | goal |")
    print("|---|---:|---|")
    print("| median, %d configs | %.1f ms | < 30 ms |" % (args.configs, small_median))
    print("| p99, %d configs | %.1f ms | < 60 ms |" % (args.configs, percentile(latencies, 99)))
    if big_latencies:
        big_median = percentile(big_latencies, 50)
        print("| median, %d configs | %.1f ms (%+.0f%%) | within 20%% of %d configs |" % (
            args.big, big_median, (big_median / small_median - 1) * 100, args.configs))
        print("| resident memory, %d configs | %.1f MB | — |" % (args.big, big_memory))
        print("| start-up with catch-up, %d configs (cold: every output written) | %.1f s | — |" % (args.big, catch_up))
    print("| idle CPU over %d s (utime+stime, 10 ms ticks) | %.0f ms | < 10 ms |" % (args.idle, idle))
    print("| idle CPU over %d s (threads' schedstat) | %.3f ms | < 10 ms |" % (args.idle, idle_precise))
    print("| resident memory (VmRSS), %d configs | %.1f MB | < 60 MB |" % (args.configs, memory))
    if python:
        print("| Python watcher median / p99, %d configs | %.1f / %.1f ms | — |" % (
            args.configs, percentile(python, 50), percentile(python, 99)))


def watchfiles_version():
    import watchfiles
    return watchfiles.__version__


if __name__ == "__main__":
    main()
