"""Who we are, the privacy notice, the logo and the icon, through the real app."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tipline.settings import Settings

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

SVG_WITH_SCRIPT = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
PROFILE = """
[contact]
phone = "+84 24 3333 4444"
email = "tiepnhan@example.gov.vn"
logo = "logo.svg"

[vi]
name = "Phòng An ninh mạng <b>tỉnh X</b>"
readers = "Cán bộ của phòng đọc báo cáo."
privacy = "Đoạn một.\\n\\nĐoạn hai."

[en]
name = "Cyber Division <b>X</b>"
readers = "The division's officers read reports."
"""


@pytest.fixture
def configured(settings: Settings, tmp_path: Path) -> Settings:
    (tmp_path / "logo.svg").write_bytes(SVG_WITH_SCRIPT)
    (tmp_path / "about.toml").write_text(PROFILE, encoding="utf-8")
    settings.about_file = tmp_path / "about.toml"
    return settings


def test_home_has_an_h1_a_skip_link_the_default_operator_and_help_numbers(
    client: TestClient,
) -> None:
    page = client.get("/").text
    assert page.count("<h1>") == 1
    assert '<a class="skip" href="#main">' in page
    assert '<main id="main"' in page
    assert "chưa được cấu hình" in page
    for number in ("113", "111", "115"):
        assert f'href="tel:{number}"' in page
    assert 'href="/privacy"' in page
    assert 'rel="icon" href="/favicon.ico"' in page


def test_an_operators_profile_is_shown_escaped_in_each_language(
    configured: Settings, client: TestClient
) -> None:
    home = client.get("/").text
    assert "Phòng An ninh mạng &lt;b&gt;tỉnh X&lt;/b&gt;" in home
    assert "<b>tỉnh X</b>" not in home
    about = client.get("/about?lang=en").text
    assert "Cyber Division &lt;b&gt;X&lt;/b&gt;" in about
    assert 'href="tel:+842433334444"' in about
    assert 'href="mailto:tiepnhan@example.gov.vn"' in about
    assert '<img class="logo" src="/about/logo"' in about
    privacy = client.get("/privacy?lang=vi").text
    assert "<p>Đoạn một.</p><p>Đoạn hai.</p>" in privacy
    # The English texts leave the notice out: the operator's Vietnamese one is shown, marked as
    # Vietnamese, never the default notice that is not theirs.
    english = client.get("/privacy?lang=en").text
    assert '<div lang="vi">\n<p>Đoạn một.</p>' in english
    assert "We collect" not in english


def test_an_svg_logo_is_served_sandboxed(configured: Settings, client: TestClient) -> None:
    answer = client.get("/about/logo")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "image/svg+xml"
    assert "sandbox" in answer.headers["content-security-policy"]
    assert answer.content == SVG_WITH_SCRIPT


def test_no_logo_is_a_404_and_the_icon_is_an_ico(client: TestClient) -> None:
    assert client.get("/about/logo").status_code == 404
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200
    assert icon.headers["content-type"] == "image/x-icon"
    assert icon.content[:4] == b"\x00\x00\x01\x00"


def test_a_file_broken_after_start_leaves_the_default_on_the_pages(
    configured: Settings, client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    assert "Cyber Division" in client.get("/?lang=en").text
    assert configured.about_file is not None
    configured.about_file.write_text("[vi\n", encoding="utf-8")
    page = client.get("/?lang=en")
    assert page.status_code == 200
    assert "not yet configured" in page.text
    assert "about file unusable" in caplog.text
