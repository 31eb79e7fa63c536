#!/usr/bin/env python3
"""Set up and start Pressure Explorer, or install and run its tests — on Linux,
macOS and Windows alike.  Both README commands go through here
(scripts/run_app.sh and scripts/test.sh are thin wrappers):

    python scripts/launch.py app  [--port 8501] [--network] [--no-browser]
    python scripts/launch.py test [pytest arguments…]

Steps: check the Python version (3.11+; a newer python3.1x on the PATH is used
when the current one is older), make ``.venv`` (recreated when another Python
version made it or it cannot run), install the requirements with progress —
with uv, which pip installs into .venv first (pip alone when that fails) —
skipped when they are installed already, then

* ``app``: start the server on localhost, wait until it answers, open the
  browser where there is a desktop and print the URL last; Ctrl+C stops it.
  ``--network`` serves every network interface instead (see README).
* ``test``: install Debian's chromium, fonts-noto-cjk and libreoffice-writer when
  missing (as root, or with sudo that needs no password); without them, every
  test that needs none of them runs, and the browser and rendering tests are
  reported as NOT RUN with the reason.

This file runs on old Pythons too (no syntax newer than 3.6), so that it can
say what is wrong instead of failing on a syntax error.
"""
import argparse
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
import webbrowser

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV = os.path.join(ROOT, ".venv")
MARKER = os.path.join(VENV, ".pressure-explorer-installed")
MIN = (3, 11)
NEWER = ("python3.14", "python3.13", "python3.12", "python3.11")
NETWORK_WARNING = ("Serving the whole network (--network): anyone who can reach this computer on port {port} "
                   "can open the app, load their own data into it and see what they load; there is no login. "
                   "Without --network only this computer can.")


def say(text):
    print("[pressure-explorer] " + text, flush=True)


def check_python():
    """Run on Python 3.11+: re-run with a newer python3.1x from the PATH, or stop with what to do."""
    if sys.version_info[:2] >= MIN:
        return
    here = "Python {}.{}.{} ({})".format(*sys.version_info[:3], sys.executable)
    for name in NEWER:
        exe = shutil.which(name)
        if exe:
            say("{} is too old; using {}".format(here, exe))
            os.execv(exe, [exe] + sys.argv)
    sys.exit("Pressure Explorer needs Python 3.11 or newer; this is {}.\n"
             "Install Python 3.11+ (python.org for Windows and macOS; on Debian/Ubuntu "
             "`sudo apt-get install python3.11 python3.11-venv`), then run:\n"
             "    python3.11 scripts/launch.py {}".format(here, " ".join(sys.argv[1:]) or "app"))


def venv_python():
    return os.path.join(VENV, "Scripts", "python.exe") if os.name == "nt" else os.path.join(VENV, "bin", "python")


def _venv_usable():
    """The .venv runs and was made by this Python's version."""
    exe = venv_python()
    if not os.path.exists(exe):
        return False
    try:
        out = subprocess.run([exe, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                             capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return False
    return out.returncode == 0 and out.stdout.strip() == "%d.%d" % sys.version_info[:2]


def environment():
    """The Python to install into and run with: the active virtualenv (or this
    Python with PE_NO_VENV=1), else .venv, made or remade as needed."""
    if os.environ.get("VIRTUAL_ENV") or os.environ.get("PE_NO_VENV") == "1":
        return sys.executable
    if os.path.isdir(VENV) and not _venv_usable():
        say("removing .venv: it was made by another Python version or does not run")
        shutil.rmtree(VENV)
    if not os.path.isdir(VENV):
        say("creating .venv with Python {}.{}".format(*sys.version_info[:2]))
        subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
    return venv_python()


def _requirements_hash(req):
    h = hashlib.sha256()
    for name in ("requirements.txt", req):
        with open(os.path.join(ROOT, name), "rb") as fh:
            h.update(fh.read())
    return h.hexdigest() + " " + req


UV = "uv==0.13.8"
# pip's own settings that uv does not read (pip.conf, PIP_* variables): a mirror, a local wheel folder
_PIP_TO_UV = {"index-url": "--index-url", "extra-index-url": "--extra-index-url", "find-links": "--find-links"}


def _pip_indexes(python):
    """pip's index settings as uv arguments (a mirror set for pip is used by uv too)."""
    try:
        out = subprocess.run([python, "-m", "pip", "config", "list"], capture_output=True, text=True,
                             timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    args = []
    for line in out.splitlines():
        key, _, value = line.partition("=")
        flag = _PIP_TO_UV.get(key.rsplit(".", 1)[-1].strip())
        for v in value.strip().strip("'\"").split() if flag else ():
            if v not in args:
                args += [flag, v]
    return args


def _uv(python):
    """The command of uv in .venv, installed there by pip on first use; None when
    pip could not install it (then pip installs everything, as before)."""
    if subprocess.run([python, "-m", "uv", "--version"], capture_output=True).returncode == 0:
        return [python, "-m", "uv"]
    say("installing uv, a faster installer, with pip")
    code = subprocess.run([python, "-m", "pip", "install", "--disable-pip-version-check", "--progress-bar", "on",
                           "--no-compile", UV]).returncode
    return [python, "-m", "uv"] if code == 0 else None


def install(python, req):
    """Install the packages of req into python's environment, with progress;
    skipped when that exact set is installed already (a marker in .venv; an
    interrupted install has none).  Into .venv with uv (bootstrapped from the
    package index with pip: about ten times faster than pip), else — or when uv
    fails — with pip."""
    in_venv = python == venv_python()
    want = _requirements_hash(req)
    if in_venv and os.path.exists(MARKER):
        with open(MARKER) as fh:
            if fh.read() in (want, _requirements_hash("requirements-dev.txt")):
                say("packages of {} already installed".format(req))
                return
    say("installing the packages of {} (first time: a few hundred MB)".format(req))
    started = time.time()
    uv = _uv(python) if in_venv else None
    code = 1
    if uv is not None:
        # like pip: every index considered for each package (the pins decide); no byte-compiling (modules
        # compile when first imported, and the app imports a fraction of what it installs)
        code = subprocess.run(uv + ["pip", "install", "--python", python, "--index-strategy", "unsafe-best-match"]
                              + _pip_indexes(python) + ["-r", os.path.join(ROOT, req)]).returncode
        if code != 0:
            say("uv could not install {} (see above); trying pip".format(req))
    if code != 0:
        code = subprocess.run([python, "-m", "pip", "install", "--disable-pip-version-check", "--progress-bar", "on",
                               "--no-compile", "-r", os.path.join(ROOT, req)]).returncode
    if code != 0:
        if in_venv and os.path.exists(MARKER):
            os.remove(MARKER)
        sys.exit("pip could not install {} (see above). Run the same command again; a .venv left "
                 "by a failed install is completed, or remade when it no longer runs.".format(req))
    say("installed in {:.0f} s".format(time.time() - started))
    if in_venv:
        with open(MARKER, "w") as fh:
            fh.write(want)


def wait_healthy(proc, url, seconds=120):
    deadline = time.time() + seconds
    while time.time() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return True
        except OSError:
            time.sleep(0.3)
    return False


def _stop(*_):
    raise KeyboardInterrupt


def run_app(python, args):
    # Ctrl+C (even where a parent shell ignored SIGINT) and a plain kill both stop the server too
    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    env = dict(os.environ)
    # two malloc arenas for all script threads: memory comes back after a burst of users
    env.setdefault("MALLOC_ARENA_MAX", "2")
    address = "0.0.0.0" if args.network else "localhost"
    cmd = [python, "-m", "streamlit", "run", os.path.join(ROOT, "app.py"), "--server.port", str(args.port),
           "--server.address", address, "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    say("starting the server" + (" for the whole network" if args.network else " (this computer only)"))
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env)
    url = "http://localhost:{}".format(args.port)
    try:
        if not wait_healthy(proc, url):
            proc.terminate()
            sys.exit("The server did not start (see above). Is port {0} taken? Try: "
                     "python scripts/launch.py app --port {1}".format(args.port, args.port + 1))
        if args.network:
            say(NETWORK_WARNING.format(port=args.port))
        desktop = os.name == "nt" or sys.platform == "darwin" or os.environ.get("DISPLAY") \
            or os.environ.get("WAYLAND_DISPLAY")
        if desktop and not args.no_browser and not os.environ.get("CI"):
            webbrowser.open(url)
        say("Pressure Explorer is running. Open {}  (Ctrl+C stops it)".format(url))
        return proc.wait()
    except KeyboardInterrupt:
        say("stopping")
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        return 0


def _missing_packages():
    """{Debian package: pytest marker of the tests that need it} for what is not installed."""
    need = {}
    if not any(shutil.which(n) for n in ("chromium", "chromium-browser", "chromium-headless-shell")):
        need["chromium"] = "browser"
    if not os.path.isdir("/usr/share/fonts/opentype/noto"):
        need["fonts-noto-cjk"] = "browser"
    if not (shutil.which("soffice") or shutil.which("libreoffice")):
        need["libreoffice-writer"] = "render"
    return need


def system_packages():
    """Install the Debian packages the browser and rendering tests need; return
    {marker: why those tests cannot run} for what is still missing ({} = all can)."""
    need = _missing_packages()
    if not need:
        return {}
    names = " ".join(need)
    why = ""
    root = hasattr(os, "geteuid") and os.geteuid() == 0
    sudo = [] if root else ["sudo", "-n"]
    if not shutil.which("apt-get"):
        why = "no apt-get on this machine: install {} (Debian/Ubuntu package names)".format(names)
    elif not root and not (shutil.which("sudo") and subprocess.run(["sudo", "-n", "true"], capture_output=True)
                           .returncode == 0):
        why = "not root and no password-free sudo: run `sudo apt-get install {}` and test again".format(names)
    else:
        say("installing Debian packages for the browser and rendering tests: " + names)
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        ok = subprocess.run(sudo + ["apt-get", "update", "-qq"], env=env).returncode == 0 and subprocess.run(
            sudo + ["apt-get", "install", "-y", "-qq", "--no-install-recommends"] + list(need), env=env).returncode == 0
        if not ok:
            why = "apt-get could not install {} (see above)".format(names)
    still = _missing_packages()
    return {marker: why or "apt-get did not install " + " ".join(p for p, m in still.items() if m == marker)
            for marker in sorted(set(still.values()))}


def run_tests(python, pytest_args):
    missing = system_packages()
    cmd = [python, "-m", "pytest", "-q", "--durations=15"] + pytest_args   # the slowest, to keep CI short
    if missing:
        cmd += ["-m", " and ".join(f"not {m}" for m in missing)]
        for marker, why in missing.items():
            say(f"{marker} tests will NOT run: {why}")
    code = subprocess.run(cmd, cwd=ROOT).returncode
    for marker, why in missing.items():
        say(f"{marker} tests NOT RUN: {why}")
    if missing:
        say("everything else ran; the result above does not include the tests marked " + ", ".join(missing))
    return code


def main(argv=None):
    check_python()
    parser = argparse.ArgumentParser(prog="python scripts/launch.py", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="mode")
    app = sub.add_parser("app", help="install and start the app (default)")
    app.add_argument("--port", type=int, default=8501, help="port to serve on (default 8501)")
    app.add_argument("--network", action="store_true",
                     help="serve every network interface, not only this computer (no login: see README)")
    app.add_argument("--no-browser", action="store_true", help="do not open a browser window")
    sub.add_parser("test", help="install everything the tests need and run them (extra arguments go to pytest)",
                   add_help=False)
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["test"]:
        python = environment()
        install(python, "requirements-dev.txt")
        return run_tests(python, argv[1:])
    args = parser.parse_args(argv or ["app"])
    python = environment()
    install(python, "requirements.txt")
    return run_app(python, args)


if __name__ == "__main__":
    sys.exit(main())
