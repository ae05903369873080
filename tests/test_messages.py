"""One pydantic error said for a person, in Vietnamese or English (`tipline.messages`)."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, Field, ValidationError

from tipline.messages import MESSAGES, EraAwareDatetime, EraDate, is_storable, localise, storable
from tipline.vocabulary import LANGUAGES


class Form(BaseModel):
    name: str = Field(max_length=3)
    age: int


def errors(data: dict[str, object]) -> list[dict[str, object]]:
    with pytest.raises(ValidationError) as caught:
        Form.model_validate(data)
    return [dict(error) for error in caught.value.errors()]


def test_every_message_is_in_both_languages() -> None:
    assert all(set(texts) == set(LANGUAGES) for texts in MESSAGES.values())


def test_a_limit_is_said_with_its_number() -> None:
    (error,) = errors({"name": "quá dài", "age": 1})
    assert localise(error, "vi") == {
        "field": "name",
        "code": "string_too_long",
        "message": "Quá dài: tối đa 3 ký tự.",
    }
    assert localise(error, "en")["message"] == "Too long: at most 3 characters."


def test_kinds_of_error_share_one_message() -> None:
    said = {localise(error, "en")["code"] for error in errors({"age": "già"})}
    assert said == {"missing", "number"}


def test_an_unknown_error_or_a_template_without_its_values_is_invalid() -> None:
    assert (
        localise({"type": "something_new", "loc": ("x",)}, "vi")["message"]
        == (MESSAGES["invalid"]["vi"])
    )
    broken = {"type": "string_too_long", "loc": ("body", "x"), "ctx": {}}
    assert localise(broken, "en") == {
        "field": "x",
        "code": "string_too_long",
        "message": MESSAGES["invalid"]["en"],
    }


def test_a_template_is_said_in_the_language_asked_or_else_in_english() -> None:
    from tipline.messages import say

    templates = {"vi": "tối đa {limit}", "en": "at most {limit}"}
    assert say(templates, "vi", limit=3) == "tối đa 3"
    assert say(templates, "en", limit=3) == "at most 3"
    assert say(templates, "fr", limit=3) == "at most 3"


class Dated(BaseModel):
    day: EraDate
    moment: EraAwareDatetime


def test_a_date_before_the_era_is_said_with_the_earliest_date() -> None:
    with pytest.raises(ValidationError) as caught:
        Dated.model_validate({"day": 0, "moment": "1999-12-31T23:59:59Z"})
    said = [localise(dict(error), "en") for error in caught.value.errors()]
    assert said == [
        {"field": name, "code": "before_era",
         "message": "The date is too early: it must be 2000-01-01 or later."}
        for name in ("day", "moment")
    ]  # fmt: skip
    kept = Dated.model_validate({"day": "2000-01-01", "moment": "2000-01-01T00:00:00+00:00"})
    assert kept.day.year == kept.moment.year == 2000


def test_storable_text_keeps_every_character_but_nul_and_lone_surrogates() -> None:
    assert storable("a\x00b\udc80c\ud83d") == "a b\ufffdc\ufffd"
    assert storable("Tôi bị lừa 😀 'x' %_") == "Tôi bị lừa 😀 'x' %_"
    assert [is_storable(v) for v in ("a\x00", "\udc80", "😀", b"\x00", 7)] == [
        False, False, True, True, True,
    ]  # fmt: skip
