"""Signals that a word list cannot read, each a small grammar over the normalised text.

`lexicon/grammar.toml` gives the words; this module puts them together into one regular
expression per signal:

- `amount`: a number (digits, "1tr5", or words: "năm trăm") and a unit, slang included ("7 củ",
  "30 chai", "5 lít", "500k", "200 đô", "0.5 btc"), or a currency sign before digits ("$500");
- `deadline`: a marker and a clock time, a period, a day or a part of a day ("trước 8h30",
  "hạn 12 giờ trưa", "trong 24 giờ", "by tonight", "within a day"), a time that is a limit on
  its own ("tối nay", "sáng mai"), a period that runs out ("3 giờ nữa");
- `publish_threat`: sending or posting, a link word and an audience that matters to the victim
  ("gửi clip cho bố mẹ mày", "tung lên group lớp", "send them to your whole friend list");
- `demand`: a condition ("nếu em không…", "unless", "or I'll send") or a wish for an amount
  ("wants 1,500 USD", "asking for 1,000 more");
- `no_demand`: a demand denied ("không đòi gì", "no demand was made", "just to hurt me");
- `no_loss`: a loss or payment denied ("have not paid anything", "chưa chuyển"), whose words
  no longer count as money already lost (a grammar's `cancels`).

Pure: tables in, compiled `Grammars` out; `tipline.triage.cues` adds what they read to its
signals.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

from tipline.indicators.folding import fold
from tipline.triage.normalise import normalise

# A word, or a currency sign (where "$500" starts).
_TOKEN = re.compile(r"[^\W_]+|[$€£]")
_BEFORE_WORD = r"(?<![^\W_])"
_AFTER_WORD = r"(?![^\W_])"
_NUMBER = r"(?:\d{1,3}(?:[.,]\d{3})+|\d+(?:[.,]\d+)?)"
# Units after which digits go on ("1tr5", "2 củ 5": one and a half million, 2.5 million).
_SPLIT_UNITS = r"(?:tr|trieu|cu)"


def _either(words: Iterable[str]) -> str:
    """One alternative of `words`, longest first, each escaped."""
    unique = sorted({word for word in words if word}, key=lambda word: (-len(word), word))
    return "(?:" + "|".join(re.escape(word) for word in unique) + ")"


def _normalised(words: Iterable[str]) -> list[str]:
    """Words as the reports read once normalised (folded, teen-code expanded)."""
    return [normalise(word) for word in words]


def _folded(words: Iterable[str]) -> list[str]:
    """Words folded only: units keep their letters ("k" stays "k", not "không")."""
    return [fold(word).lower() for word in words]


def _gap(words: int, word: str = r"\S+", shortest: bool = True) -> str:
    """Up to `words` words, then a space (as few as match, unless not `shortest`)."""
    return rf"(?:\s+{word}){{0,{words}}}{'?' if shortest else ''}\s+"


def amount_pattern(table: dict[str, Any]) -> str:
    """A money amount: digits or number words and a unit, or a currency sign and digits."""
    words = _either(_normalised(table["number_words"]))
    units = _either(_folded(table["units"]))
    before = _either(_folded(table["before"]))
    digits = rf"(?<![\w.,$€£]){_NUMBER}\s?(?:{_SPLIT_UNITS}\d{{1,3}}|{units})"
    spelled = rf"{_BEFORE_WORD}(?:{words}\s+)+{_either(_folded(table['spelled_units']))}"
    signed = rf"(?<![\w.,]){before}\s?{_NUMBER}(?!\d)"
    return rf"(?:{digits}|{spelled}|{signed}){_AFTER_WORD}"


def deadline_pattern(table: dict[str, Any], number_words: Iterable[str]) -> str:
    """A time limit: a marker and a time, a limit on its own, a period that runs out."""
    day_parts = _either(_normalised(table["day_parts"]))
    clock = rf"\d{{1,2}}(?:[:h]\d{{2}}|\s?(?:am|pm)|\sgio(?:\s\d{{1,2}})?)(?:\s{day_parts})?"
    count = rf"(?:\d+(?:[.,]\d+)?|{_either(_normalised(number_words))})"
    period = rf"{count}\s{_either(_normalised(table['periods']))}"
    # "trong 3 ngày qua" is the past three days, not a limit.
    not_past = r"(?!\s(?:qua|vua qua|truoc|ago|past)\b)"
    days = _either(_normalised(table["days"]))
    markers = _either(_normalised(table["markers"]))
    marked = rf"{_BEFORE_WORD}{markers}\s(?:{clock}|{period}{not_past}|{days})"
    alone = rf"{_BEFORE_WORD}{_either(_normalised(table['alone']))}"
    running_out = rf"{_BEFORE_WORD}{period}\s{_either(_normalised(table['after_period']))}"
    bare_tomorrow = rf"{_BEFORE_WORD}mai\s{_either(_normalised(table['condition_after_day']))}"
    last_word = rf"{_BEFORE_WORD}{period}(?=\s?[.!]|$)"
    either = "|".join((marked, alone, running_out, bare_tomorrow, last_word))
    return rf"(?:{either}){_AFTER_WORD}"


def publish_threat_pattern(table: dict[str, Any]) -> str:
    """Sending or posting to an audience that matters to the victim."""
    gap = _gap(int(table["gap"]))
    verbs = _either(_normalised(table["verbs"]))
    verb_links = _either(_normalised(table["verb_links"]))
    links = _either(_normalised(table["links"]))
    audiences = _either(_normalised(table["audiences"]))
    return rf"{_BEFORE_WORD}(?:{verbs}{gap}{links}|{verb_links}){gap}{audiences}{_AFTER_WORD}"


def demand_pattern(table: dict[str, Any], amount: str) -> str:
    """A condition on a threat, or a wish for an amount."""
    gap = int(table["condition_gap"])
    conditions = _either(_normalised(table["conditions"]))
    wishes = _either(_normalised(table["wishes"]))
    # "nếu em không …", "không gặp anh thì …", "if I do not …"
    if_not = _either(_normalised(table["if_negations"]))
    spelled_out = rf"neu{_gap(gap)}khong|khong{_gap(gap)}thi|if{_gap(gap)}{if_not}"
    condition = rf"{_BEFORE_WORD}(?:{conditions}|{spelled_out}){_AFTER_WORD}"
    wish = rf"{_BEFORE_WORD}{wishes}{_gap(3)}(?:{amount}|\d[\d.,]{{2,}}\d)"
    return rf"(?:{condition}|{wish})"


def no_demand_pattern(table: dict[str, Any]) -> str:
    """A denied demand ("không đòi gì"), or a sharing said not to be for money."""
    # "không thì nó đòi" is a condition, not a denial: the gap skips no "thì".
    gap = _gap(int(table["gap"]), r"(?!thi\b|la\b)\S+")
    negations = _either(_normalised(table["negations"]))
    demands = _either(_normalised(table["demands"]))
    phrases = _either(_normalised(table["phrases"]))
    denied = rf"{negations}(?:{gap}|\s+){demands}"
    return rf"{_BEFORE_WORD}(?:{denied}|{phrases}){_AFTER_WORD}"


def no_loss_pattern(table: dict[str, Any]) -> str:
    """A negated loss or payment: "have not paid anything", "chưa chuyển đồng nào"."""
    negations = _either(_normalised(table["negations"]))
    verbs = _either(_normalised(table["verbs"]))
    # The longest span: every verb that the negation covers ("have not taken it or paid").
    gap = _gap(int(table["gap"]), r"[^\s.!?;]+", shortest=False)
    return rf"{_BEFORE_WORD}{negations}(?:{gap}|\s+){verbs}{_AFTER_WORD}"


def _first_words(*lists: Iterable[str]) -> frozenset[str]:
    """The word each entry of `lists` starts with, normalised: where a match may begin."""
    return frozenset(
        words[0] for entry in chain(*lists) if (words := _TOKEN.findall(normalise(entry)))
    )


@dataclass(frozen=True)
class Grammars:
    """The compiled grammars. A pattern is tried only where one of its first words (or, for
    some, a number) starts: a few tries a report instead of a scan of every character."""

    patterns: dict[str, re.Pattern[str]]
    # For each word, the grammars that may start there; the grammars that may start at a number.
    by_word: dict[str, tuple[str, ...]]
    at_numbers: tuple[str, ...]
    # A grammar whose matches cancel other signals' words inside them (a denied payment).
    cancels: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def read(self, normalised: str) -> dict[str, list[str]]:
        """Per grammar that matches: its first match, or every match for one that cancels."""
        found: dict[str, list[str]] = {}
        for start, names in self._starts(normalised):
            for name in names:
                if name in found and name not in self.cancels:
                    continue
                match = self.patterns[name].match(normalised, start)
                if match:
                    found.setdefault(name, []).append(match.group())
        return found

    def _starts(self, normalised: str) -> list[tuple[int, tuple[str, ...]]]:
        """Where a grammar may match, in text order: at a word that starts one of them, or
        at a number or a currency sign."""
        by_word, at_numbers = self.by_word, self.at_numbers
        starts = []
        for token in _TOKEN.finditer(normalised):
            word = token.group()
            names = by_word.get(word, ())
            if word[0].isdigit():
                names += at_numbers
            if names:
                starts.append((token.start(), names))
        return starts


def compile_grammars(table: dict[str, Any]) -> Grammars:
    """The grammars of `table` (the file `grammar.toml`); none when it is empty."""
    if not table:
        return Grammars({}, {}, ())
    amount, deadline = table["amount"], table["deadline"]
    demand, no_demand, no_loss = table["demand"], table["no_demand"], table["no_loss"]
    threat = table["publish_threat"]
    numbers = amount["number_words"]
    sources = {
        "amount": (
            amount_pattern(amount),
            _first_words(numbers, amount["before"], ["$", "€", "£"]),
            True,
        ),
        "deadline": (
            deadline_pattern(deadline, numbers),
            _first_words(deadline["markers"], deadline["alone"], numbers, ["mai"]),
            True,
        ),
        "publish_threat": (
            publish_threat_pattern(threat),
            _first_words(threat["verbs"], threat["verb_links"]),
            False,
        ),
        "demand": (
            demand_pattern(demand, amount_pattern(amount)),
            _first_words(demand["conditions"], demand["wishes"], ["nếu", "không", "if"]),
            False,
        ),
        "no_demand": (
            no_demand_pattern(no_demand),
            _first_words(no_demand["negations"], no_demand["phrases"]),
            False,
        ),
        "no_loss": (no_loss_pattern(no_loss), _first_words(no_loss["negations"]), False),
    }
    by_word: dict[str, tuple[str, ...]] = {}
    for name, (_, words, _) in sources.items():
        for word in words:
            by_word[word] = (*by_word.get(word, ()), name)
    return Grammars(
        patterns={name: re.compile(source) for name, (source, _, _) in sources.items()},
        by_word=by_word,
        at_numbers=tuple(name for name, (_, _, numbered) in sources.items() if numbered),
        cancels={n: tuple(spec["cancels"]) for n, spec in table.items() if "cancels" in spec},
    )


def grammar_reasons(table: dict[str, Any]) -> dict[str, str]:
    """What each grammar's signal means, as the reasons say it."""
    return {name: str(spec.get("reason", name)) for name, spec in table.items()}
