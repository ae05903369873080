from __future__ import annotations

import re

from tipline.web.i18n import Translator, catalogue, choose_language


def test_catalogues_have_the_same_keys_and_placeholders() -> None:
    vi, en = catalogue("vi"), catalogue("en")
    assert set(vi) == set(en)
    for key in vi:
        assert set(re.findall(r"\{(\w+)\}", vi[key])) == set(re.findall(r"\{(\w+)\}", en[key])), key


def test_language_choice_prefers_query_then_cookie_then_vietnamese() -> None:
    assert choose_language(None, None) == "vi"
    assert choose_language("en", None) == "en"
    assert choose_language("EN", "vi") == "en"
    assert choose_language(None, "en") == "en"
    assert choose_language("fr", "en") == "en"
    assert choose_language("<script>", None) == "vi"


def test_translator_fills_parameters_and_falls_back_to_the_key() -> None:
    assert Translator("vi")("error.too_long", max=200) == "Quá dài: tối đa 200 ký tự."
    assert Translator("en")("error.too_long", max=200) == "Too long: at most 200 characters."
    assert Translator("en")("no.such.key") == "no.such.key"


def test_every_label_the_pages_show_is_translated() -> None:
    from tipline.indicators import Kind
    from tipline.vocabulary import REPORT_STATUSES, Category, Urgency
    from tipline.web.forms import AGE_GROUPS

    keys = (
        [f"category.{c.value}" for c in Category]
        + [f"urgency.{u.value}" for u in Urgency]
        + [f"kind.{k.value}" for k in Kind]
        + [f"status.{s}" for s in REPORT_STATUSES]
        + [f"age.{a}" for a in AGE_GROUPS]
        + [f"check.{state}.{part}" for state in ("confirmed", "reported", "allowlisted", "none")
           for part in ("title", "body")]
        + [f"qr.{reason}" for reason in
           ("malformed", "bad_crc", "not_vietqr", "no_qr", "not_image", "too_large")]
    )  # fmt: skip
    for language in ("vi", "en"):
        missing = [key for key in keys if key not in catalogue(language)]
        assert missing == [], language
