"""The house rules that keep the design simple."""
import ast
from pathlib import Path

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


def test_raw_html_only_with_constant_text():
    """st.html / components.html / unsafe_allow_html=True render HTML as is:
    allowed only with a literal string of our own (never user text)."""
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
                     isinstance(a, ast.Name) and a.id in consts for a in args)
            if not ok:
                bad.append(f"{name}:{node.lineno} {fname}() renders raw HTML from a non-constant")
    assert bad == []
