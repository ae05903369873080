from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

import tipline
from tipline.html.i18n import Translator, catalogue_files, read_catalogue
from tipline.html.language import choose_language, languages

SOURCE = Path(tipline.__file__).parent
KEYWORDS = {"t": None, "tn": None}  # the templates' and the code's message functions
METHODS = [("**/templates/**.html", "jinja2.ext:babel_extract"), ("**.py", "python")]


def used_msgids() -> set[str]:
    """Every literal message key the templates and the code pass to `t` or `tn`."""
    found = extract_from_dir(
        str(SOURCE),
        METHODS,
        {"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}},
        keywords=KEYWORDS,
    )
    return {message if isinstance(message, str) else message[0] for _, _, message, *_ in found}


def test_the_pages_speak_vietnamese_first_then_each_catalogue() -> None:
    assert languages() == ("vi", "en")


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_key_the_pages_use_is_translated(language: str) -> None:
    catalogue = read_catalogue(language)
    untranslated = sorted(
        key for key in used_msgids() if key not in catalogue or not catalogue[key].string
    )
    assert untranslated == []


def test_catalogues_have_the_same_keys_placeholders_and_no_empty_message() -> None:
    vi, en = read_catalogue("vi"), read_catalogue("en")
    assert {m.id for m in vi if m.id} == {m.id for m in en if m.id}
    for message in vi:
        if not message.id:
            continue
        forms = [message.string, en[message.id].string]
        texts = [text for form in forms for text in (form if isinstance(form, tuple) else (form,))]
        assert all(texts), message.id
        assert len({frozenset(re.findall(r"\{(\w+)\}", text)) for text in texts}) == 1, message.id


def test_each_capability_owns_its_messages_and_no_key_is_defined_twice() -> None:
    owners: dict[str, str] = {}
    for entry in catalogue_files("vi"):
        with entry.open("rb") as handle:
            for message in read_po(handle):
                if message.id:
                    key = message.id if isinstance(message.id, str) else message.id[0]
                    assert key not in owners, (key, owners.get(key))
                    owners[key] = str(entry)
    assert owners["cases.title"].endswith("cases/locale/vi/LC_MESSAGES/cases.po")
    assert owners["error.form_expired"].endswith("html/locale/vi/LC_MESSAGES/html.po")


def test_language_rule_is_query_then_cookie_then_accept_language_then_vietnamese() -> None:
    assert choose_language(None, None) == "vi"
    assert choose_language("en", None) == "en"
    assert choose_language("EN", "vi") == "en"
    assert choose_language(None, "en", "vi") == "en"
    assert choose_language("fr", "en") == "en"
    assert choose_language("<script>", None) == "vi"
    assert choose_language(None, None, "en-US,en;q=0.9") == "en"
    assert choose_language(None, None, "fr-FR, vi;q=0.5, en;q=0.8") == "en"
    assert choose_language(None, None, "fr, de;q=0.5") == "vi"
    assert choose_language("vi", None, "en") == "vi"


def test_translator_fills_parameters_and_falls_back_to_the_key() -> None:
    assert Translator("vi")("error.too_long", max=200) == "Quá dài: tối đa 200 ký tự."
    assert Translator("en")("error.too_long", max=200) == "Too long: at most 200 characters."
    assert Translator("en")("no.such.key") == "no.such.key"


def test_plural_forms_follow_each_language() -> None:
    en, vi = Translator("en"), Translator("vi")
    assert en.plural("dashboard.reports", 1, count=1) == "1 report"
    assert en.plural("dashboard.reports", 3, count=3) == "3 reports"
    assert vi.plural("dashboard.reports", 1, count=1) == "1 tin báo"
    assert vi.plural("dashboard.reports", 3, count=3) == "3 tin báo"


def test_every_label_the_pages_show_is_translated() -> None:
    from tipline.indicators import Kind
    from tipline.vocabulary import REPORT_STATUSES as STATUSES
    from tipline.vocabulary import Category, Urgency
    from tipline.web.forms import AGE_GROUPS

    keys = (
        [f"category.{c.value}" for c in Category]
        + [f"urgency.{u.value}" for u in Urgency]
        + [f"kind.{k.value}" for k in Kind]
        + [f"status.{s}" for s in STATUSES]
        + [f"age.{a}" for a in AGE_GROUPS]
        + [f"check.{state}.{part}" for state in ("confirmed", "reported", "allowlisted", "none")
           for part in ("title", "body")]
        + [f"qr.{reason}" for reason in
           ("malformed", "bad_crc", "not_vietqr", "no_qr", "not_image", "too_large")]
    )  # fmt: skip
    for language in ("vi", "en"):
        catalogue = read_catalogue(language)
        missing = [key for key in keys if key not in catalogue or not catalogue[key].string]
        assert missing == [], language
