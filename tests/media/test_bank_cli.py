"""`tipline media bank …` on a fresh SQLite database: create, add, list, import, export, remove,
grant, expire; a user error exits 2 with one line."""

from __future__ import annotations

import json
from pathlib import Path

from tests.media.banks import md5, pdq
from typer.testing import CliRunner

from tipline.cli import app
from tipline.settings import Settings

runner = CliRunner()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["media", "bank", *args])
    return result.exit_code, result.output


def test_a_bank_from_creation_to_export(settings: Settings, tmp_path: Path) -> None:
    assert (
        run("create", "NCII reported", "--kind", "ncii", "--owner", "C50", "--tlp", "green")[0] == 0
    )
    code, said = run("add", "NCII reported", f"pdq:{pdq(1)}", f"md5:{md5('a')}")
    assert (code, said.strip()) == (0, "2 added, 0 in the bank already")
    source = tmp_path / "hashes.txt"
    source.write_text(f"pdq {pdq(1)}\npdq,{pdq(2)}\nnot a hash\nsha256 {'c' * 64}\n")
    code, said = run("import", "NCII reported", str(source))
    assert code == 0
    assert "2 added, 1 in the bank already, 1 lines refused" in said
    assert "line 3:" in said
    descriptors = tmp_path / "te.jsonl"
    descriptors.write_text(json.dumps({"raw_indicator": pdq(3), "type": "HASH_PDQ"}) + "\n")
    assert "1 added" in run("import", "1", str(descriptors), "--format", "threatexchange")[1]
    code, listed = run("list")
    assert listed.split("\t")[:4] == ["1", "NCII reported", "ncii", "TLP:GREEN"]
    assert "pdq 3\tmd5 1\tsha256 1" in listed
    out = tmp_path / "bank.txt"
    assert run("export", "NCII reported", "--output", str(out))[0] == 0
    assert out.read_text().splitlines() == [
        f"pdq {pdq(1)}",
        f"md5 {md5('a')}",
        f"pdq {pdq(2)}",
        f"sha256 {'c' * 64}",
        f"pdq {pdq(3)}",
    ]
    code, stix = run("export", "NCII reported", "--format", "stix")
    assert json.loads(stix)["objects"][0]["name"] == "TLP:GREEN"
    assert run("remove", "NCII reported", "1", "2")[1].strip() == "2 removed"
    assert run("expire")[1].strip() == "0 hashes past their bank's retention removed"


def test_user_errors_exit_2_with_one_line(settings: Settings) -> None:
    run("create", "CSAM known", "--kind", "child", "--owner", "C50")
    code, said = run("export", "CSAM known", "--format", "stix")
    assert code == 2
    assert "child bank is exported only for a recipient granted it" in said
    assert "Traceback" not in said
    assert run("grant", "CSAM known", "--organisation", "Nobody")[0] == 2
    assert run("add", "Nowhere", f"pdq:{pdq(1)}")[0] == 2
    assert run("add", "CSAM known", "pdq:1234")[0] == 2
    assert run("create", "CSAM known", "--kind", "child", "--owner", "C50")[0] == 2
