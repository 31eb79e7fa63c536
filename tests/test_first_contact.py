"""First contact (issue 16): the app opens in the user's language and keeps it
in the URL; the launcher behind the README's two commands."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]


def _app(locale: str | None = None, **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    if locale is not None:
        at.context["locale"] = locale
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception
    return at


def _chinese(at: AppTest) -> bool:
    caption = " ".join(c.value for c in at.sidebar.caption)
    return "行" in caption


@pytest.mark.parametrize("locale, lang", [("zh-CN", "zh"), ("zh-TW", "zh"), ("zh", "zh"), ("en-US", "en"),
                                          ("de-DE", "en"), (None, "en")])
def test_the_app_starts_in_the_browsers_language(locale, lang):
    at = _app(locale)
    assert at.session_state["lang"] == lang
    assert _chinese(at) == (lang == "zh")
    assert at.query_params["lang"] == lang            # written to the URL: a reload keeps it


@pytest.mark.parametrize("asked, locale, lang", [("en", "zh-CN", "en"), ("zh", "en-US", "zh"), ("fr", "zh-CN", "zh"),
                                                 ("", "en-GB", "en")])
def test_lang_in_the_url_wins_over_the_browser(asked, locale, lang):
    at = _app(locale, lang=asked)
    assert at.session_state["lang"] == lang and _chinese(at) == (lang == "zh")


def test_switching_language_updates_the_url_and_keeps_other_parameters():
    at = _app("en-US", page_state="x", utm="y")
    token = at.query_params.get("s")            # the reload store's session token (pages/_ui/state.py)
    at.sidebar.radio(key="lang").set_value("zh").run()
    assert not at.exception and _chinese(at)
    params = {k: at.query_params[k] for k in at.query_params}
    assert params == {"lang": "zh", "page_state": "x", "utm": "y", **({"s": token} if token else {})}


# ---- requirements and the launcher ------------------------------------------------------------
def _imported_distributions() -> set[str]:
    import ast
    import importlib.metadata as md
    import sys

    mods = set()
    for path in [ROOT / "app.py", *ROOT.glob("core/**/*.py"), *ROOT.glob("pages/**/*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                mods |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                mods.add(node.module.split(".")[0])
    dists = md.packages_distributions()
    own = {"core", "pages", "__future__"}
    return {d.lower() for m in mods - own - set(sys.stdlib_module_names) for d in dists.get(m, [m])}


def _pins(name: str) -> set[str]:
    lines = (ROOT / name).read_text(encoding="utf-8").splitlines()
    return {ln.split("==")[0].strip().lower() for ln in lines if "==" in ln and not ln.startswith("#")}


def test_runtime_requirements_are_what_the_app_imports():
    """Exactly what app.py, pages/ and core/ import, plus statsmodels and
    pingouin (named by the design for the analyses to come); test-only
    packages live in requirements-dev.txt."""
    assert _pins("requirements.txt") == _imported_distributions() | {"statsmodels", "pingouin"}
    assert not {"semopy", "factor_analyzer", "scikit-learn", "graphviz"} & _pins("requirements.txt")
    assert {"pytest", "hypothesis", "playwright"} <= _pins("requirements-dev.txt")
    # cross-checks used only by tests (tests/test_engines.py)
    assert {"semopy", "factor_analyzer", "scikit-learn"} <= _pins("requirements-dev.txt")


def test_every_browser_test_carries_the_browser_mark():
    """The launcher deselects browser tests by their mark when chromium cannot
    be installed (and says so): a browser test without it would fail instead."""
    for path in (ROOT / "tests" / "e2e").glob("test_*.py"):
        assert "pytestmark = pytest.mark.browser" in path.read_text(encoding="utf-8"), path.name


def _launcher():
    import importlib.util

    spec = importlib.util.spec_from_file_location("launch", ROOT / "scripts" / "launch.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_without_apt_the_browser_and_render_tests_are_deselected_and_reported_not_run(monkeypatch, capsys):
    launch = _launcher()
    monkeypatch.setattr(launch, "_missing_packages", lambda: {"chromium": "browser", "fonts-noto-cjk": "browser",
                                                              "libreoffice-writer": "render"})
    monkeypatch.setattr(launch.shutil, "which", lambda name: None)          # no apt-get, no sudo
    ran = []
    monkeypatch.setattr(launch.subprocess, "run", lambda cmd, **kw: ran.append(cmd) or
                        type("Done", (), {"returncode": 0})())
    assert launch.run_tests("python", ["tests/test_io.py"]) == 0
    assert ran == [["python", "-m", "pytest", "-q", "--durations=15", "tests/test_io.py", "-m", "not browser and not render"]]
    out = capsys.readouterr().out
    assert "browser tests NOT RUN" in out and "render tests NOT RUN" in out
    assert "install chromium fonts-noto-cjk libreoffice-writer" in out


def test_with_chromium_present_everything_runs(monkeypatch, capsys):
    launch = _launcher()
    monkeypatch.setattr(launch, "_missing_packages", lambda: {})
    ran = []
    monkeypatch.setattr(launch.subprocess, "run", lambda cmd, **kw: ran.append(cmd) or
                        type("Done", (), {"returncode": 3})())
    assert launch.run_tests("python", []) == 3
    assert ran == [["python", "-m", "pytest", "-q", "--durations=15"]] and "NOT RUN" not in capsys.readouterr().out


def test_a_venv_of_another_python_version_is_remade(monkeypatch, tmp_path):
    launch = _launcher()
    venv = tmp_path / ".venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").write_text("#!/bin/sh\necho 3.10\n")
    (venv / "bin" / "python").chmod(0o755)
    monkeypatch.setattr(launch, "VENV", str(venv))
    monkeypatch.delenv("VIRTUAL_ENV", raising=False)
    monkeypatch.delenv("PE_NO_VENV", raising=False)
    made = []
    real_run = launch.subprocess.run
    monkeypatch.setattr(launch.subprocess, "run", lambda cmd, **kw: made.append(cmd) if "venv" in cmd
                        else real_run(cmd, **kw))
    launch.environment()
    assert not (venv / "bin" / "python").exists()      # the 3.10 one was removed …
    assert made and made[0][1:3] == ["-m", "venv"]      # … and a new one made with this Python


@pytest.mark.parametrize("uv_works", [True, False])
def test_the_launcher_installs_with_uv_and_falls_back_to_pip(monkeypatch, tmp_path, uv_works):
    """Into .venv: pip installs uv, uv installs the requirements from the indexes
    pip is configured with (a mirror); when uv fails, pip installs them."""
    from types import SimpleNamespace

    launch = _launcher()
    (tmp_path / ".venv").mkdir()
    monkeypatch.setattr(launch, "VENV", str(tmp_path / ".venv"))
    monkeypatch.setattr(launch, "MARKER", str(tmp_path / ".venv" / "installed"))
    python = launch.venv_python()
    config = "global.index-url='https://mirror.example/simple'\n:env:.find-links='/wheels'\nglobal.cert='/ca'\n"
    ran = []

    def run(cmd, **kw):
        ran.append(cmd)
        step = cmd[1:4]
        code = {("-m", "uv", "--version"): 1, ("-m", "uv", "pip"): 0 if uv_works else 2}.get(tuple(step), 0)
        return SimpleNamespace(returncode=code, stdout=config if step == ["-m", "pip", "config"] else "")

    monkeypatch.setattr(launch.subprocess, "run", run)
    launch.install(python, "requirements.txt")
    installs = [c for c in ran if "install" in c]
    assert installs[0][1:4] == ["-m", "pip", "install"] and installs[0][-1] == launch.UV
    uv = installs[1]
    assert uv[1:5] == ["-m", "uv", "pip", "install"] and uv[-2:] == ["-r", str(ROOT / "requirements.txt")]
    assert " ".join(uv).count("--index-url https://mirror.example/simple --find-links /wheels") == 1
    assert "--cert" not in uv and "/ca" not in uv
    if uv_works:
        assert len(installs) == 2
    else:
        assert installs[2][1:4] == ["-m", "pip", "install"] and installs[2][-1] == str(ROOT / "requirements.txt")
    assert (tmp_path / ".venv" / "installed").exists()


# ---- strings that stayed English in the Chinese UI ----------------------------------------------
def test_the_scenario_chart_names_the_baseline_in_the_users_language():
    """Tables name the "baseline" code through the column's codes; the what-if
    chart (whose data the page swaps on every slider move) names it too."""
    import pandas as pd

    from core.analyses.regression import charts as rch
    from core.i18n import t

    scen = pd.DataFrame({"scenario": ["baseline", "Lower CD"], "prediction": [3.0, 2.5], "ci_low": [2.8, 2.3],
                         "ci_high": [3.2, 2.7], "pi_low": [1.5, 1.0], "pi_high": [4.5, 4.0]})
    zh = t("regression.scenario.baseline", "zh")
    assert rch.scenario_names(scen, "zh")["scenario"].tolist() == [zh, "Lower CD"]
    assert scen["scenario"].tolist() == ["baseline", "Lower CD"]           # the result keeps its code
    spec = rch.scenario_bars(scen, "Y", "zh").to_dict()
    shown = [r["scenario"] for rows in spec["datasets"].values() for r in rows]
    assert zh in shown and "baseline" not in shown


def test_placeholders_and_the_scale_score_choice_are_translated():
    pages = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "pages").glob("**/*.py")}
    calls = sum(text.count(".multiselect(") for text in pages.values())
    assert calls and sum(text.count('placeholder=t("forms.choose")') + text.count('placeholder=state.t("forms.choose")')
                         for text in pages.values()) == calls
    assert 'format_func=lambda s: t(f"vars.score.{s}")' in pages["variables.py"]
