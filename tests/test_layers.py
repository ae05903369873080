"""The packages' layers and the absence of import cycles, as pyproject.toml's import-linter
contracts say (`[tool.importlinter]`), imports inside functions included."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CYCLIC = {
    "cyclic/__init__.py": "",
    "cyclic/low/__init__.py": "def helper() -> None:\n    from cyclic.high import api  # noqa\n",
    "cyclic/high/__init__.py": "",
    "cyclic/high/api.py": "from cyclic.low import helper  # noqa\n",
}
CYCLIC_CONTRACT = """
[tool.importlinter]
root_packages = ["cyclic"]

[[tool.importlinter.contracts]]
id = "acyclic"
name = "no cycle"
type = "acyclic_siblings"
ancestors = ["cyclic"]
depth = 0
"""


def lint_imports(config: Path, python_path: Path) -> subprocess.CompletedProcess[str]:
    """`lint-imports` on `config`, finding the packages first on `python_path`."""
    env = {
        **os.environ,
        "PYTHONPATH": f"{python_path}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
    }
    command = "from importlinter.cli import lint_imports_command; lint_imports_command()"
    return subprocess.run(
        [sys.executable, "-c", command, "--no-cache", str(config)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )


def test_packages_keep_their_layers_and_import_no_cycle() -> None:
    run = lint_imports(ROOT / "pyproject.toml", ROOT / "src")
    broken = run.stdout[run.stdout.find("Broken contracts") :]
    assert run.returncode == 0, f"an import breaks tipline's layers or makes a cycle:\n{broken}"
    assert "tipline's layers KEPT" in run.stdout
    assert "the client imports nothing of the server KEPT" in run.stdout
    assert "no import cycle between tipline's packages KEPT" in run.stdout


def test_a_cycle_through_an_import_inside_a_function_breaks_the_contract(tmp_path: Path) -> None:
    for name, text in CYCLIC.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    (tmp_path / "pyproject.toml").write_text(CYCLIC_CONTRACT)
    run = lint_imports(tmp_path / "pyproject.toml", tmp_path)
    assert run.returncode == 1
    assert "no cycle BROKEN" in run.stdout
    assert "No cycles are allowed in cyclic." in run.stdout
