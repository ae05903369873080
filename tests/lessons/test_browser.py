"""A lesson and its quiz in Chromium on a 360 px phone, in Vietnamese and English, with
JavaScript off: the list leads to the lesson, the quiz is answered by tapping the choices and
sent, the feedback page scores it; then axe-core finds no violation on either page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from tests.browser import LOCALES, SCREENS, axe_violations, needs_chromium, scrolls_sideways
from tests.live_server import running_tipline

from tipline.lessons.content import library

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = needs_chromium
SLUG = "fake-police-call"
SCORE = {"vi": "Bạn trả lời đúng 2 trên 3 câu.", "en": "You answered 2 of 3 questions right."}


@pytest.fixture(scope="module")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_tipline(tmp_path_factory.mktemp("lessons-browser")) as url:
        yield url


@pytest.mark.parametrize("language", sorted(LOCALES))
def test_a_lesson_and_its_quiz_work_without_javascript_on_a_phone(
    browser: Browser, server_url: str, language: str
) -> None:
    lesson = library().lesson(SLUG)
    assert lesson is not None
    context = browser.new_context(
        locale=LOCALES[language], viewport=SCREENS["phone"], java_script_enabled=False
    )
    page = context.new_page()
    page.goto(f"{server_url}/lessons?audience=older_people&lang={language}")
    page.click(f"a[href='/lessons/{SLUG}']")
    assert page.inner_text("h1") == lesson.title(language)
    assert page.locator("html").get_attribute("lang") == language
    assert not scrolls_sideways(page)
    for question, choice in (("q1", 2), ("q2", 1), ("q3", 2)):
        page.locator(f"label.check:has(input[name={question}][value='{choice}'])").click()
    page.click("form.quiz button[type=submit]")
    assert page.url.endswith(f"/lessons/{SLUG}/result?answers=2-1-2")
    assert page.inner_text("#score") == SCORE[language]
    assert page.locator(".quiz-feedback.wrong").count() == 1
    assert not scrolls_sideways(page)
    result_url = page.url
    context.close()
    # axe runs as a script: a context of its own, with scripts, past the pages' policy.
    checking = browser.new_context(
        locale=LOCALES[language], viewport=SCREENS["phone"], bypass_csp=True
    )
    page = checking.new_page()
    found = {}
    for url in (f"{server_url}/lessons/{SLUG}", result_url):
        page.goto(url)
        if violations := axe_violations(page):
            found[url] = violations
    checking.close()
    assert found == {}
