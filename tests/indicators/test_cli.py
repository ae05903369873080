"""The `tipline extract` contract, run as a real process with bytes on standard input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def run_tipline(
    args: list[str], stdin: bytes, data_dir: Path
) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "TIPLINE_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [sys.executable, "-m", "tipline", *args],
        input=stdin,
        capture_output=True,
        env=env,
        timeout=120,
        check=False,
    )


def lines(output: bytes) -> list[dict[str, object]]:
    return [json.loads(line) for line in output.decode("utf-8").splitlines()]


def test_text_mode_writes_one_object_per_indicator(tmp_path: Path) -> None:
    text = "Gọi 0912.345.678 rồi vào hxxps://abc-xacthuc[.]com/login, gọi lại 0912 345 678"
    result = run_tipline(["extract"], text.encode(), tmp_path)
    assert result.returncode == 0
    assert lines(result.stdout) == [
        {"kind": "phone", "value": "+84912345678", "allowlisted": False, "span": [4, 16]},
        {
            "kind": "url",
            "value": "https://abc-xacthuc.com/login",
            "allowlisted": False,
            "span": [25, 56],
        },
        {"kind": "domain", "value": "abc-xacthuc.com", "allowlisted": False, "span": [33, 50]},
    ]


def test_jsonl_mode_keeps_input_order_and_reports_bad_lines(tmp_path: Path) -> None:
    stdin = (
        b'{"id": 1, "text": "STK 0123456789 Vietcombank"}\n'
        b"not json\n"
        b'{"id": "b"}\n'
        b"\xff\xfe broken\n"
        b'{"id": 5, "text": "no indicators here"}\n'
    )
    result = run_tipline(["extract", "--jsonl"], stdin, tmp_path)
    assert result.returncode == 1
    out = lines(result.stdout)
    assert [o.get("id") for o in out] == [1, None, "b", None, 5]
    assert out[0]["indicators"] == [
        {"kind": "bank_account", "value": "VCB:0123456789", "allowlisted": False, "span": [4, 14]}
    ]
    assert "not valid JSON" in str(out[1]["error"])
    assert "text" in str(out[2]["error"])
    assert "UTF-8" in str(out[3]["error"])
    assert out[4]["indicators"] == []


def test_broken_utf8_and_nul_bytes_still_yield_indicators(tmp_path: Path) -> None:
    result = run_tipline(["extract"], b"\xff\x00 goi 0912345678 \x00", tmp_path)
    assert result.returncode == 1
    assert b"not valid UTF-8 at byte 0" in result.stderr
    assert [o["value"] for o in lines(result.stdout)] == ["+84912345678"]
    assert b"Traceback" not in result.stderr


def test_a_one_megabyte_line_is_read(tmp_path: Path) -> None:
    text = ("lorem ipsum " * 90_000) + " 0912345678"
    record = json.dumps({"id": "big", "text": text}).encode() + b"\n"
    assert len(record) > 1_000_000
    result = run_tipline(["extract", "--jsonl"], record, tmp_path)
    assert result.returncode == 0
    assert [i["value"] for i in lines(result.stdout)[0]["indicators"]] == ["+84912345678"]  # type: ignore[index]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"{not json", "not JSON"),
        (b'{"name": "x", "type": "regex", "list": ["a"]}', "cannot serve as an allowlist"),
        (b'{"name": "x"}', "not a MISP warninglist"),
        (b"\xff\xfe", "not UTF-8"),
    ],
)
def test_allowlist_add_rejects_bad_files_with_one_line(
    tmp_path: Path, body: bytes, message: str
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(body)
    result = run_tipline(["allowlist", "add", str(bad)], b"", tmp_path)
    assert result.returncode == 2
    assert message in result.stderr.decode()
    assert b"Traceback" not in result.stderr


def test_allowlist_add_changes_what_extract_marks(tmp_path: Path) -> None:
    text = b"xem trang scam-but-listed.com"
    before = lines(run_tipline(["extract"], text, tmp_path).stdout)
    listed = tmp_path / "mine.json"
    listed.write_text(
        json.dumps({"name": "ours", "type": "hostname", "list": ["scam-but-listed.com"]})
    )
    added = run_tipline(["allowlist", "add", str(listed)], b"", tmp_path)
    after = lines(run_tipline(["extract"], text, tmp_path).stdout)
    assert added.returncode == 0
    assert before[0]["allowlisted"] is False
    assert after[0]["allowlisted"] is True
