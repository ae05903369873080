"""The `tipline-client` distribution: its wheel, built from clients/python offline, holds the
client and the pure reading of values and none of the server; installed alone, it checks a
value against a live server in a process where importing the server's libraries fails."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from tests.client.conftest import REPORTED_PHONE, LiveServer

ROOT = Path(__file__).resolve().parents[2]
SERVER_LIBRARIES = ("fastapi", "starlette", "sqlalchemy", "sklearn", "alembic", "uvicorn",
                    "psycopg", "pydantic_settings", "jinja2", "limits", "stix2")  # fmt: skip
SERVER_DISTRIBUTIONS = ("fastapi", "sqlalchemy", "uvicorn", "scikit-learn", "alembic",
                        "psycopg", "starlette", "jinja2", "numpy", "scipy")  # fmt: skip
# Run in the installed wheel's folder: every import of a server library raises.
BLOCKED_CHILD = """
import importlib, json, sys
BLOCKED = set(sys.argv[1].split(","))

class Blocker:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED or name.startswith(("tipline.server", "tipline.db")):
            raise ImportError(f"blocked in the client's process: {name}")
        return None

sys.meta_path.insert(0, Blocker())
from tipline.client import Client
from tipline.client.reading import read_indicator

modules = sys.argv[3].split(",")
for module in modules:  # every module the wheel ships imports without the server
    importlib.import_module(module)
with Client(sys.argv[2], language="en") as tipline:
    result = tipline.check("0987 654 321")
    private = tipline.private_check("0987 654 321")
    rejected = tipline.check_many(["hello"])[0]
print(json.dumps({
    "file": sys.modules["tipline"].__file__,
    "verdict": result.verdict,
    "private": [private.verdict, private.value],
    "value": result.value,
    "read": read_indicator("0987 654 321"),
    "rejected": rejected.error,
    "imported": sorted({m.split(".")[0] for m in sys.modules} & BLOCKED),
}))
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The client's wheel, built offline with the test's own setuptools, from a copy of
    clients/python beside a link to src (its `build` folder is then this test's own, whatever
    else builds the client at the same time)."""
    out = tmp_path_factory.mktemp("wheel")
    tree = tmp_path_factory.mktemp("tree")
    shutil.copytree(ROOT / "clients" / "python", tree / "clients" / "python",
                    ignore=shutil.ignore_patterns("build"))  # fmt: skip
    (tree / "src").symlink_to(ROOT / "src")
    build = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
             "--no-index", "-q", "-w", str(out), str(tree / "clients" / "python")]  # fmt: skip
    run = subprocess.run(build, capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stderr[-3000:]
    (built,) = out.glob("tipline_client-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel unpacked as an installation would place it."""
    target = tmp_path_factory.mktemp("site")
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(target)
    return target


def test_the_wheel_holds_the_client_and_the_reading_and_nothing_of_the_server(
    wheel: Path,
) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    modules = {n for n in names if n.endswith(".py")}
    client = {f"tipline/client/{p.name}" for p in (ROOT / "src/tipline/client").glob("*.py")}
    assert client <= modules
    assert {"tipline/__init__.py", "tipline/indicators/read.py", "tipline/indicators/phones.py",
            "tipline/indicators/data/allowlist.txt", "tipline/py.typed"} <= names  # fmt: skip
    server = {"tipline/app.py", "tipline/settings.py", "tipline/db.py", "tipline/cli.py",
              "tipline/indicators/service.py", "tipline/indicators/repository.py",
              "tipline/indicators/models.py", "tipline/indicators/routes.py",
              "tipline/indicators/schemas.py"}  # fmt: skip
    assert not server & names
    packages = {name.split("/")[1] for name in modules if name.count("/") == 2}
    assert packages == {"client", "indicators"}


def test_the_wheel_depends_on_no_server_library(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        (metadata,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        lines = archive.read(metadata).decode().splitlines()
        entry_points = archive.read(metadata.replace("METADATA", "entry_points.txt")).decode()
    requires = {line.split(":", 1)[1].split(">")[0].split("[")[0].strip().lower()
                for line in lines if line.startswith("Requires-Dist:")}  # fmt: skip
    assert {"httpx", "phonenumbers", "pysodium", "tldextract"} <= requires
    assert not requires & set(SERVER_DISTRIBUTIONS)
    assert "tipline-client = tipline.client.cli:main" in entry_points


def test_the_installed_wheel_checks_a_value_with_the_server_libraries_blocked(
    installed: Path, live_server: LiveServer
) -> None:
    modules = sorted(
        ".".join(path.relative_to(installed).with_suffix("").parts).removesuffix(".__init__")
        for path in (installed / "tipline").rglob("*.py")
    )
    env = {**os.environ, "PYTHONPATH": str(installed)}
    argv = [",".join(SERVER_LIBRARIES), live_server.url, ",".join(modules)]
    run = subprocess.run(
        [sys.executable, "-c", BLOCKED_CHILD, *argv],
        capture_output=True, text=True, env=env, cwd=installed, timeout=120, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:]
    answer = json.loads(run.stdout)
    assert answer["file"] == str(installed / "tipline" / "__init__.py")
    assert (answer["verdict"], answer["value"]) == ("reported", REPORTED_PHONE)
    assert answer["private"] == ["reported", REPORTED_PHONE]
    assert answer["read"] == ["phone", REPORTED_PHONE]
    assert "'hello' is not a phone number" in answer["rejected"]
    assert answer["imported"] == []
    assert {"tipline.client.cli", "tipline.indicators.read"} <= set(modules)


def test_the_blocker_does_block(installed: Path) -> None:
    """The blocked process fails as it should when the client would import a server library."""
    code = BLOCKED_CHILD.split("from tipline.client import Client")[0] + "import sqlalchemy\n"
    env = {**os.environ, "PYTHONPATH": str(installed)}
    run = subprocess.run([sys.executable, "-c", code, "sqlalchemy"], capture_output=True,
                         text=True, env=env, timeout=60, check=False)  # fmt: skip
    assert run.returncode == 1
    assert "blocked in the client's process: sqlalchemy" in run.stderr
