"""The operator's profile: the default, an operator's file, and the errors of a broken one."""

from __future__ import annotations

from pathlib import Path

import pytest

from tipline.about.profile import LOGO_MAX_BYTES, ProfileError, read_profile

AGENCY = """
[contact]
phone = "+84 24 3333 4444"
email = "tiepnhan@example.gov.vn"
website = "https://example.gov.vn/"
logo = "logo.png"

[[help]]
number = "113"
vi = "Công an"
en = "Police"

[vi]
name = "Phòng An ninh mạng, Công an tỉnh X"
runs = "Đoạn một.\\n\\nĐoạn hai."
readers = "Cán bộ của phòng."
privacy = "Riêng tư."

[en]
name = "Cyber Security Division, X Province Police"
readers = "The division's officers."
"""


def write(folder: Path, text: str, logo: bytes = b"\\x89PNG fake") -> Path:
    (folder / "logo.png").write_bytes(logo)
    path = folder / "about.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_default_names_itself_unconfigured_in_both_languages() -> None:
    profile = read_profile(None)
    assert "chưa được cấu hình" in profile.texts("vi").name
    assert "not yet configured" in profile.texts("en").name
    assert [line.number for line in profile.help] == ["113", "111", "115"]
    assert profile.help[1].label("en").startswith("National child protection")
    assert profile.logo_path is None
    assert len(profile.paragraphs("vi", "privacy")) == 4


def test_an_operators_file_gives_its_texts_logo_and_paragraphs(tmp_path: Path) -> None:
    profile = read_profile(write(tmp_path, AGENCY))
    assert profile.texts("en").name.startswith("Cyber Security Division")
    assert profile.paragraphs("vi", "runs") == ["Đoạn một.", "Đoạn hai."]
    assert profile.logo_path == (tmp_path / "logo.png").resolve()
    assert profile.logo_type == "image/png"
    # A language the file leaves out falls back to Vietnamese.
    assert profile.texts("km").name == profile.texts("vi").name


@pytest.mark.parametrize(
    ("old", "new", "complaint"),
    [
        ('[vi]\nname = "Phòng', '[xx]\nname = "Phòng', "[vi] table is missing"),
        ('phone = "+84 24 3333 4444"', 'phone = "call me"', "contact.phone"),
        ('website = "https://', 'website = "javascript:', "contact.website"),
        ('email = "tiepnhan@example.gov.vn"', 'email = "nobody"', "contact.email"),
        ('logo = "logo.png"', 'logo = "logo.exe"', "is not one of"),
        ('logo = "logo.png"', 'logo = "missing.png"', "no file at"),
        ('number = "113"', 'number = "<b>"', "help.0.number"),
        ("[en]\nname", "[en]\nnmae", "en.name: Field required"),
        ("\n[en]\n", "\n[en\n", "about.toml"),
    ],
)
def test_a_broken_file_is_refused_with_where_and_why(
    tmp_path: Path, old: str, new: str, complaint: str
) -> None:
    assert old in AGENCY
    with pytest.raises(ProfileError) as raised:
        read_profile(write(tmp_path, AGENCY.replace(old, new)))
    assert complaint in raised.value.message


def test_a_logo_too_large_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="larger than"):
        read_profile(write(tmp_path, AGENCY, logo=b"x" * (LOGO_MAX_BYTES + 1)))


def test_a_file_not_in_utf8_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, AGENCY)
    path.write_bytes(AGENCY.encode("utf-16"))
    with pytest.raises(ProfileError, match="about.toml"):
        read_profile(path)
