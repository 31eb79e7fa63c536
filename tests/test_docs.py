"""Documents that must not drift from the code."""
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_recipes_doc_is_generated_from_the_registry():
    proc = subprocess.run([sys.executable, "scripts/gen_recipes_doc.py", "--check"], cwd=ROOT,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_readme_has_two_setup_commands_and_ci_calls_the_test_one():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"^    (bash scripts/\S+)$", readme, flags=re.M)
    assert commands == ["bash scripts/run_app.sh", "bash scripts/test.sh"]
    assert "bash scripts/test.sh" in (ROOT / ".ci" / "run").read_text()


def test_architecture_map_names_every_top_level_folder_of_core():
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    for p in sorted((ROOT / "core").iterdir()):
        if p.name.startswith("_") or p.name == "__pycache__":
            continue
        assert p.name.removesuffix(".py") in text, f"docs/architecture.md does not mention core/{p.name}"
