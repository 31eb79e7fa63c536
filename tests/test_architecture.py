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
