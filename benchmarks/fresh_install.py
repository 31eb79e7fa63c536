"""Fresh install → first page served, as a new user runs the README's command.

    python benchmarks/fresh_install.py [--branch NAME] [--no-cache]

Clones this repository (the given branch, default the current one) into a
temporary folder, runs ``python3 scripts/launch.py app --port P --no-browser``
outside any virtualenv (so the launcher makes a fresh ``.venv``), and reports
the seconds from the start to each of its steps and to the first page
answering over HTTP; then stops the server with SIGTERM (as Ctrl+C does) and
removes the clone.  ``--no-cache`` passes PIP_NO_CACHE_DIR=1 and UV_NO_CACHE=1
(every package downloaded again, by pip or uv).  Prints the machine's load average before and after.
"""
from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--branch", default=subprocess.run(["git", "rev-parse", "--abbrev-ref", "HEAD"], cwd=ROOT,
                                                       capture_output=True, text=True).stdout.strip())
    ap.add_argument("--no-cache", action="store_true")
    args = ap.parse_args()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    tmp = Path(tempfile.mkdtemp(prefix="pe-fresh-"))
    clone = tmp / "clone"
    subprocess.run(["git", "clone", "-q", "-b", args.branch, str(ROOT), str(clone)], check=True)
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if "/.venv/" not in p)
    if args.no_cache:
        env["PIP_NO_CACHE_DIR"] = env["UV_NO_CACHE"] = "1"
    print("load average before:", " ".join(open("/proc/loadavg").read().split()[:3]))
    t0 = time.perf_counter()
    proc = subprocess.Popen(["python3", "scripts/launch.py", "app", "--port", str(port), "--no-browser"], cwd=clone,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    steps = []

    def read():
        for line in proc.stdout:
            if line.startswith("[pressure-explorer]"):
                steps.append((time.perf_counter() - t0, line.strip()))

    threading.Thread(target=read, daemon=True).start()
    page = None
    while proc.poll() is None and time.perf_counter() - t0 < 1800:
        try:
            with urllib.request.urlopen(f"http://localhost:{port}/", timeout=2) as r:
                if r.status == 200 and any("is running" in s for _, s in steps):
                    page = time.perf_counter() - t0
                    break
        except OSError:
            pass
        time.sleep(0.5)
    for t, s in steps:
        print(f"{t:7.1f} s  {s}")
    print(f"first page answered: {page:.1f} s" if page else "the page never answered")
    print("load average after:", " ".join(open("/proc/loadavg").read().split()[:3]))
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
    shutil.rmtree(tmp, ignore_errors=True)
    sys.exit(0 if page else 1)


if __name__ == "__main__":
    main()
