from __future__ import annotations

import pytest

from tipline.partners import core


@pytest.mark.parametrize(
    ("text", "problem"),
    [("TH", None), ("KH", None), ("th", "two-letter"), ("THA", "two-letter"), ("", "two-letter")],
)
def test_country_problem(text: str, problem: str | None) -> None:
    found = core.country_problem(text)
    assert (found is None) if problem is None else (found is not None and problem in found)


def test_names_and_kinds() -> None:
    assert core.normal_name("  Thai   Police CCIB ") == "Thai Police CCIB"
    assert core.normal_country(" kh ") == "KH"
    assert core.name_problem("") == "a name is needed"
    assert core.name_problem("x" * 201) == "a name has at most 200 characters"
    assert core.kind_problem("bank") is None
    assert core.kind_problem("casino") == (
        "an organisation's kind is one of bank, telecom, platform, other"
    )
    assert core.contacts_problem("x" * 2001) == "contacts have at most 2000 characters"
