"""The words triage's reasons quote, as the reporter wrote them. Pure.

Cues are read on the normalised text (folded, teen-code expanded: "7 củ" reads "7 cu", "ko"
reads "khong"), and a lexicon term is known by its label; an analyst or a victim reading the
reasons must meet her own words, not those forms. `written_cues` gives the cues with each word
a reason may quote (a signal's first words, a category's strongest terms, a minor's age) put
back as the report has it: found in the folded report when only diacritics or case differ,
else through the spans `normalise_with_spans` keeps (teen-code, spaces). A word not found in the
report is quoted as it is.
"""

from __future__ import annotations

from dataclasses import replace

from tipline.indicators.folding import fold
from tipline.triage.cues import CueReading
from tipline.triage.normalise import Spans, normalise, normalise_with_spans

QUOTED_SIGNAL_WORDS = 2  # as many as `CueReading.labels` gives a reason
QUOTED_TERMS = 3  # as many as `rules.category_reason` names


def _is_word_char(char: str) -> bool:
    return char.isalnum()


def _find_word(text: str, words: str) -> int:
    """Where `words` first stand in `text` as whole words, or -1."""
    if not words:
        return -1
    start = text.find(words)
    while start >= 0:
        end = start + len(words)
        before = start == 0 or not _is_word_char(text[start - 1]) or not _is_word_char(words[0])
        after = end == len(text) or not _is_word_char(text[end]) or not _is_word_char(words[-1])
        if before and after:
            return start
        start = text.find(words, start + 1)
    return -1


class ReportWords:
    """Quotes of one report: `self(words)` is `words` as the report writes them."""

    def __init__(self, text: str) -> None:
        self.text = text
        folded = fold(text).lower()
        # Folding keeps every character's place (but for a rare letter that lowers to two).
        self._folded = folded if len(folded) == len(text) else ""
        self._normalised: tuple[str, Spans] | None = None

    def _spans(self) -> tuple[str, Spans]:
        if self._normalised is None:  # only when a quote is not the report's words already
            self._normalised = normalise_with_spans(self.text)
        return self._normalised

    def __call__(self, words: str) -> str:
        if _find_word(self.text, words) >= 0:
            return words
        folded = fold(words).lower()
        start = _find_word(self._folded, folded)
        if start >= 0:  # only diacritics or case differ ("7 cu" of "7 CỦ"): same places
            return self.text[start : start + len(folded)]
        normalised, (starts, ends) = self._spans()
        key = words
        start = _find_word(normalised, key)
        if start < 0:
            key = normalise(words)  # a lexicon label: "tung ảnh" reads "tung anh"
            start = _find_word(normalised, key)
        if start < 0:
            return words
        return self.text[starts[start] : ends[start + len(key) - 1]]


def _quoted_first(words: list[str], count: int, quote: ReportWords) -> list[str]:
    """`words` with the first `count` as written (two that are the same words, once)."""
    written = list(dict.fromkeys(quote(word) for word in words[:count]))
    return written + words[count:]


def written_cues(cues: CueReading, text: str) -> CueReading:
    """`cues` with the words its reasons quote as `text` (the report) writes them."""
    quote = ReportWords(text)
    signals = {
        name: _quoted_first(words, QUOTED_SIGNAL_WORDS, quote)
        for name, words in cues.signals.items()
    }
    terms = {
        category: [replace(term, label=quote(term.label)) for term in found[:QUOTED_TERMS]]
        + found[QUOTED_TERMS:]
        for category, found in cues.category_terms.items()
    }
    minor = quote(cues.minor) if cues.minor else cues.minor
    return replace(cues, category_terms=terms, signals=signals, minor=minor)
