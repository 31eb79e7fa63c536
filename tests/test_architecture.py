"""The house rules that keep the design simple."""
import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_core_never_imports_streamlit():
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "core").rglob("*.py") if "streamlit" in _imports(p)]
    assert offenders == []


def test_no_pickle_or_eval_of_user_input():
    bad = []
    for folder in ("core", "pages"):
        for p in (ROOT / folder).rglob("*.py"):
            text = p.read_text(encoding="utf-8")
            tree = ast.parse(text)
            for node in ast.walk(tree):
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("eval", "exec"):
                    bad.append(f"{p.name}:{node.lineno} {node.func.id}")
            if "pickle" in _imports(p):
                bad.append(f"{p.name}: imports pickle")
    assert bad == []


def test_every_analysis_declares_documented_tables():
    from core import registry

    specs = registry.specs()
    assert "describe" in specs
    for spec in specs.values():
        assert spec.doc, spec.type
        assert spec.tables, spec.type
        for tb in spec.tables:
            assert tb.columns, (spec.type, tb.name)
            for col in tb.columns:
                assert col.doc, (spec.type, tb.name, col.name)


# ---- no unsafe deserialisation, no raw HTML with user text (issue 8) --------------------------------
_UNSAFE_MODULES = {"pickle", "cPickle", "dill", "marshal", "shelve", "joblib", "cloudpickle"}


def _py_files():
    yield ROOT / "app.py"
    for folder in ("core", "pages"):
        yield from (ROOT / folder).rglob("*.py")


def _constant_names(tree) -> set[str]:
    """Module-level names bound to a literal string (e.g. PRESENT_CSS = "...")."""
    out = set()
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            out.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return out


def test_no_unsafe_deserialisation_anywhere():
    """Nothing a user uploads (data, recipes) is unpickled, eval'd or loaded
    with a loader that can run code: no pickle/marshal/shelve/joblib,
    pandas.read_pickle, unsafe yaml.load, numpy.load(allow_pickle=True),
    eval/exec/compile/__import__."""
    bad = []
    for p in _py_files():
        tree = ast.parse(p.read_text(encoding="utf-8"))
        name = str(p.relative_to(ROOT))
        if _imports(p) & _UNSAFE_MODULES:
            bad.append(f"{name}: imports {sorted(_imports(p) & _UNSAFE_MODULES)}")
        if "yaml" in _imports(p):
            bad.append(f"{name}: imports yaml (use json/tomllib)")
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            f = node.func
            fname = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
            owner = f.value.id if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) else ""
            if isinstance(f, ast.Name) and fname in ("eval", "exec", "compile", "__import__"):
                bad.append(f"{name}:{node.lineno} {fname}()")
            elif fname in ("read_pickle", "to_pickle"):
                bad.append(f"{name}:{node.lineno} {fname}()")
            elif fname in ("load", "loads") and owner in ("pickle", "marshal", "yaml", "dill", "joblib"):
                bad.append(f"{name}:{node.lineno} {owner}.{fname}()")
            elif fname == "load" and owner in ("np", "numpy") and any(
                    k.arg == "allow_pickle" and not (isinstance(k.value, ast.Constant) and k.value.value is False)
                    for k in node.keywords):
                bad.append(f"{name}:{node.lineno} numpy.load(allow_pickle=...)")
    assert bad == []


def _styled_constant(node, consts) -> bool:
    """``styled(CONSTANT, …)``: a literal <style> template of this module filled
    by pages/_ui/markdown.styled, which admits only a widget key of
    ``[A-Za-z0-9_-]`` and texts as CSS strings of six-digit escapes (tested below)."""
    if not isinstance(node, ast.Call):
        return False
    f = node.func
    name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
    return name == "styled" and bool(node.args) and isinstance(node.args[0], ast.Name) and node.args[0].id in consts


def test_raw_html_only_with_constant_text():
    """st.html / components.html / unsafe_allow_html=True render HTML as is:
    allowed only with a literal string of our own (never user text), or a
    literal CSS template whose texts pages/_ui/markdown.styled escapes (the
    uploader's own texts in the user's language: Streamlit has no setting for them)."""
    bad = []
    for p in _py_files():
        tree = ast.parse(p.read_text(encoding="utf-8"))
        consts = _constant_names(tree)
        name = str(p.relative_to(ROOT))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
                continue
            fname = node.func.attr
            owner = node.func.value
            owner_name = owner.id if isinstance(owner, ast.Name) else owner.attr if isinstance(owner, ast.Attribute) \
                else ""
            raw = (fname == "html" and owner_name in ("st", "components", "v1")) or any(
                k.arg == "unsafe_allow_html" and not (isinstance(k.value, ast.Constant) and k.value.value is False)
                for k in node.keywords)
            if not raw:
                continue
            args = list(node.args[:1])
            ok = all(isinstance(a, ast.Constant) and isinstance(a.value, str) or
                     isinstance(a, ast.Name) and a.id in consts or _styled_constant(a, consts) for a in args)
            if not ok:
                bad.append(f"{name}:{node.lineno} {fname}() renders raw HTML from a non-constant")
    assert bad == []


def test_styled_css_cannot_be_broken_out_of():
    """Whatever a text holds, it stays inside its CSS string: the filled template
    is the template with each field replaced by quotes around hex escapes only."""
    from pages._ui.markdown import css_string, styled

    hostile = '"; } </style><script>alert(1)</script> \\ \n 中文 \U0001F600 {x}'
    out = css_string(hostile)
    assert re.fullmatch(r'"(\\[0-9A-F]{6})*"', out) and len(out) == 2 + 7 * len(hostile)
    assert styled("<style>.st-key-{key} p::after {{ content: {a}; }}</style>", "up_1", a=hostile) == \
        "<style>.st-key-up_1 p::after { content: " + out + "; }</style>"
    for key in ("a b", "x{", "</style>", "", "k" * 65):
        with pytest.raises(ValueError):
            styled("{key}", key)


# ---- layers (issue 12): one package per analysis family, engines below, pages on top -------------------
def _module_name(p: Path) -> str:
    rel = p.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _project_modules() -> dict[str, Path]:
    mods = {"app": ROOT / "app.py"}
    for folder in ("core", "pages"):
        for p in (ROOT / folder).rglob("*.py"):
            mods[_module_name(p)] = p
    return mods


def _edges(mods: dict[str, Path]) -> dict[str, set[str]]:
    """module → project modules it imports, function-level imports included
    (``from pkg import mod`` counts as importing ``pkg.mod`` when that is a module)."""
    out = {}
    for name, path in mods.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        pkg = name if path.name == "__init__.py" else name.rpartition(".")[0]
        deps = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                deps.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    base = ".".join(pkg.split(".")[: len(pkg.split(".")) - node.level + 1] + ([base] if base else []))
                for a in node.names:
                    deps.add(f"{base}.{a.name}" if f"{base}.{a.name}" in mods else base)
        out[name] = {d for d in deps if d in mods and d != name}
    return out


def _family_role(name: str) -> tuple[str, str] | None:
    """('difference', 'compute') for core.analyses.difference.compute; None outside the families."""
    parts = name.split(".")
    if len(parts) == 4 and parts[:2] == ["core", "analyses"]:
        return parts[2], parts[3]
    return None


PRESENTATION = ("charts", "text", "views")


def test_no_import_cycles():
    edges = _edges(_project_modules())
    state, cycles = {}, []

    def visit(m, stack):
        state[m] = 1
        for d in sorted(edges[m]):
            if state.get(d) == 1:
                cycles.append(" → ".join(stack[stack.index(d):] + [d]))
            elif d not in state:
                visit(d, stack + [d])
        state[m] = 2

    for m in sorted(edges):
        if m not in state:
            visit(m, [m])
    assert cycles == []


def test_layers():
    mods = _project_modules()
    edges = _edges(mods)
    bad = []
    for m, deps in edges.items():
        role = _family_role(m)
        for d in deps:
            if m.startswith("core.engines") and d.startswith(("core.analyses", "core.report", "core.i18n",
                                                                "core.format")):
                bad.append(f"engine {m} imports {d}")
            if m.startswith("core") and d.startswith(("pages", "app")):
                bad.append(f"{m} imports the shell {d}")
            if m.startswith(("pages", "app")) and (d.startswith("core.engines") or
                                                  any(part.startswith("_") for part in d.split(".")[1:]
                                                      if part != "__init__")):
                if not d.startswith("pages._ui"):
                    bad.append(f"page {m} imports {d}")
            if role and role[1] not in PRESENTATION + ("spec",):
                # compute modules (compute.py, whatif.py, efa.py …) never import presentation
                drole = _family_role(d)
                if (drole and drole[1] in PRESENTATION) or d.startswith(("core.i18n", "core.format", "core.theme",
                                                                        "core.report")):
                    bad.append(f"compute {m} imports {d}")
            if role and role[1] == "spec" and d not in ("core.types", "core.engines.process.templates"):
                bad.append(f"declaration {m} imports {d}")
        if role and role[1] not in PRESENTATION and "altair" in _imports(mods[m]):
            bad.append(f"compute {m} imports altair")
    assert sorted(bad) == []


def test_every_family_is_a_package_with_its_declaration_and_strings():
    for d in sorted((ROOT / "core" / "analyses").iterdir()):
        if d.is_dir() and not d.name.startswith("_"):
            assert (d / "spec.py").exists() and (d / "strings.toml").exists() and (d / "__init__.py").exists(), d


def test_reading_the_declarations_imports_no_compute_chart_or_writer():
    import json
    import subprocess
    import sys

    code = "import json, sys; from core import registry; registry.specs(); print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    loaded = json.loads(out)
    heavy = [m for m in loaded if m.split(".")[0] in ("altair", "statsmodels", "docx", "pptx", "openpyxl", "scipy")
             or _family_role(m) and _family_role(m)[1] != "spec" or m.startswith("core.report")]
    assert heavy == []


# a function-level import of a project module is for a heavy optional part only (the writers and the chart
# image export, loaded when a file is asked for) — never to dodge an import circle
LAZY_OK = {"core.report", "core.report.images", "core.report.docx_writer", "core.report.pptx_writer", "core.report.xlsx_writer",
           "core.report.html_writer", "core.report.script_writer", "core.report.cli_exports"}


def test_function_level_imports_are_only_for_heavy_optional_parts():
    mods = _project_modules()
    bad = []
    for name, path in mods.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for fn in ast.walk(tree):
            if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(fn):
                targets = []
                if isinstance(node, ast.ImportFrom) and node.module:
                    targets = [f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in mods else node.module
                               for a in node.names]
                elif isinstance(node, ast.Import):
                    targets = [a.name for a in node.names]
                bad += [f"{name}:{node.lineno} imports {t} in a function" for t in targets
                        if t in mods and t not in LAZY_OK]
    assert bad == []
