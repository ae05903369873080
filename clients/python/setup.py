"""Only the modules `tipline.client` needs go into the `tipline-client` wheel: its own and
the pure reading of values (`tipline.indicators.read` and what it imports), none of the
server's. A module added to that reading must be added here (the distribution's test fails
otherwise: it imports tipline.client from the built wheel)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from setuptools import setup
from setuptools.command.build_py import build_py

CLIENT_MODULES = {
    "tipline": {"__init__", "errors", "vocabulary"},
    "tipline.client": {"__init__", "api", "cli", "errors", "feeds", "oprf", "private",
                       "reading", "results", "retrying"},
    "tipline.indicators": {"__init__", "allowlist", "alternation", "banks", "crypto", "defang",
                           "defaults", "extract", "folding", "masks", "numbers", "phones",
                           "psl", "read", "signals", "social", "spans", "types", "urls"},
}  # fmt: skip


class ClientModules(build_py):
    """build_py, keeping of each package only the modules listed above."""

    def find_package_modules(self, package: str, package_dir: str) -> list[Any]:
        wanted = CLIENT_MODULES.get(package, set())
        found = super().find_package_modules(package, package_dir)
        return [(pkg, module, path) for pkg, module, path in found if module in wanted]


# Built beside this file, never in ../../src, and afresh: a module taken off the list must not
# reach the wheel from an earlier build's copy.
BUILD = Path(__file__).resolve().parent / "build"
shutil.rmtree(BUILD / "lib", ignore_errors=True)
BUILD.mkdir(exist_ok=True)
setup(
    cmdclass={"build_py": ClientModules},
    options={"build": {"build_base": str(BUILD)}, "egg_info": {"egg_base": str(BUILD)}},
)
