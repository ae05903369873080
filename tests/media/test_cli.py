"""`tipline media hash FILE...`: one JSON line per file, errors included, and the exit status."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import numpy as np
from PIL import Image
from typer.testing import CliRunner

from tipline.cli import app
from tipline.media.hashing import hash_image

runner = CliRunner()


def photo(folder: Path, name: str, seed: int) -> Path:
    rng = np.random.default_rng(seed)
    pixels = rng.integers(0, 256, (24, 32, 3), dtype=np.uint8)
    out = io.BytesIO()
    Image.fromarray(pixels).resize((320, 240)).save(out, "JPEG")
    path = folder / name
    path.write_bytes(out.getvalue())
    return path


def test_each_file_gets_a_json_line_and_unreadable_ones_an_error(tmp_path: Path) -> None:
    first, second = photo(tmp_path, "a.jpg", 1), photo(tmp_path, "b ảnh.jpg", 2)
    text = tmp_path / "notes.txt"
    text.write_text("not an image")
    missing = tmp_path / "gone.png"
    result = runner.invoke(app, ["media", "hash", str(first), str(text), str(missing), str(second)])
    assert result.exit_code == 0
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    expected = hash_image(first.read_bytes())
    assert lines[0] == {"file": str(first), **expected.as_json()}
    assert lines[0]["sha256"] == hashlib.sha256(first.read_bytes()).hexdigest()
    assert lines[1] == {"file": str(text), "error": "not an image that can be read"}
    assert lines[2] == {"file": str(missing), "error": "No such file or directory"}
    assert lines[3]["file"] == str(second)
    assert lines[3]["pdq"] != lines[0]["pdq"]
    assert sorted(lines[3]) == ["file", "md5", "pdq", "quality", "sha256"]


def test_the_exit_status_is_1_only_when_nothing_could_be_hashed(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("not an image")
    result = runner.invoke(app, ["media", "hash", str(text), str(tmp_path)])
    assert result.exit_code == 1
    assert [json.loads(line)["file"] for line in result.stdout.splitlines()] == [
        str(text),
        str(tmp_path),
    ]
    usage = runner.invoke(app, ["media", "hash"])
    assert usage.exit_code == 2


def test_help_says_what_the_exit_status_means() -> None:
    result = runner.invoke(app, ["media", "hash", "--help"])
    assert "0 if at least one file was hashed, 1 if none could be" in result.stdout
