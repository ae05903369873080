"""The `tipline` command finds every capability's CLI module, as the app finds its routes."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest
import typer
from typer.main import get_command
from typer.testing import CliRunner

import tipline
from tipline.cli import REGISTERED, app, capability_cli_names, register_capabilities

SRC = Path(tipline.__file__).parent


def test_every_cli_module_of_a_capability_is_registered_and_adds_commands() -> None:
    on_disk = {
        f"tipline.{path.parent.name}.{path.stem}"
        for pattern in ("*/cli.py", "*/*_cli.py")
        for path in SRC.glob(pattern)
    }
    assert {r.module for r in REGISTERED} == on_disk
    assert all(r.commands for r in REGISTERED), REGISTERED


def test_the_main_command_has_what_the_modules_added() -> None:
    added = {command for r in REGISTERED for command in r.commands}
    group = get_command(app)
    assert isinstance(group, typer.core.TyperGroup)
    assert set(group.commands) == added
    assert {"serve", "db", "check", "import", "import-feed", "demo", "extract"} <= added
    help_text = CliRunner().invoke(app, ["--help"]).output
    for name, command in group.commands.items():
        first_line = (command.help or name).splitlines()[0][:30]
        assert f"│ {name} " in help_text, name
        assert first_line in help_text, name


def _capability_tree(tmp_path: Path, cli_source: str) -> Path:
    root = tmp_path / "fake_tipline"
    for package, files in {"alpha": ["cli.py", "x_cli.py"], "beta": ["core.py"]}.items():
        (root / package).mkdir(parents=True)
        (root / package / "__init__.py").write_text("")
        for name in files:
            (root / package / name).write_text(cli_source)
    (root / "__init__.py").write_text("")
    (root / "top_cli.py").write_text(cli_source)  # not in a capability package
    return root


def test_cli_modules_are_found_by_file_name_in_capability_packages(tmp_path: Path) -> None:
    root = ModuleType("fake_tipline")
    root.__path__ = [str(_capability_tree(tmp_path, ""))]
    assert capability_cli_names(root) == ["fake_tipline.alpha.cli", "fake_tipline.alpha.x_cli"]


def test_a_cli_module_without_register_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _capability_tree(tmp_path, "import typer\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(TypeError, match=r"fake_tipline\.alpha\.cli adds no commands"):
        register_capabilities(typer.Typer(), ["fake_tipline.alpha.cli"])
