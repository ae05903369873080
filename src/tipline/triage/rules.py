"""The rules that turn cues and model scores into a category and an urgency, with reasons.

The safety rule lives here: the urgency is never below what the cues alone give for a child
or a threat to life, and a stated victim age under 18 lifts it to at least `high`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from tipline.triage.cues import ADULT_AGE, RISK_SIGNAL, CueReading
from tipline.vocabulary import Category, Urgency, at_least

# A report whose `critical` score is within this margin of the model's best is critical:
# missing a critical report costs far more than reading one more.
CRITICAL_MARGIN = 0.25
# A sextortion cue score this high reads as a threat over intimate material.
SEXTORTION_SCORE = 3.0
# When the text says the person harmed is an adult (a tutor, the writer herself), a child's
# mention makes no child victim unless the model's child-exploitation score is within this
# margin of its best (5-fold cross-validation on the training split; issue 12).
ADULT_CHILD_MARGIN = 0.5
# A child named only by a word ("học sinh", "kids", "students": no age, no school year) is the
# setting, not the victim, when the model's child-exploitation score is more than this margin
# below its best (5-fold cross-validation on the training split; issue 12).
CHILD_WORD_MARGIN = 0.5
_SEXUAL_APPROACH = ("sexual", "grooming", "photo_request")
_CHILD_CATEGORIES_FROM = {
    Category.SEXTORTION,
    Category.HARASSMENT,
    Category.ROMANCE,
    Category.OTHER,
}


# Intimate material with a demand is sextortion, whatever the learned model read: harassment
# (the same images, shared) or `other` (a report written as a question: "where do I report…").
_IMAGES_WITH_DEMAND_FROM = {Category.HARASSMENT, Category.OTHER}


# Where extortion wording or intimate material with a demand is blackmail of a person (a loan
# app's montage or a ransomware note is its own category's urgency).
_BLACKMAIL_CATEGORIES = {Category.SEXTORTION, Category.HARASSMENT, Category.OTHER}


@dataclass(frozen=True, slots=True)
class Floor:
    """A lowest urgency that a rule imposes, and why."""

    urgency: Urgency
    reason: str


def _quoted(labels: list[str]) -> str:
    return ", ".join(f"'{label}'" for label in labels)


def minor_evidence(cues: CueReading, victim_age: int | None) -> str | None:
    """Why the victim reads as a child: a stated age, an age or school year in the text, or a
    word such as "học sinh"; None when nothing says so."""
    if victim_age is not None and victim_age < ADULT_AGE:
        return f"victim aged {victim_age}"
    if cues.youngest_age is not None:
        return f"a minor aged {cues.youngest_age}"
    if cues.minor:
        return f"a minor: '{cues.minor}'"
    if cues.has("child"):
        return f"a child: {_quoted(cues.labels('child'))}"
    return None


def sexual_approach(cues: CueReading) -> str | None:
    """The first sexual, grooming or photo-request wording found, described."""
    for signal in _SEXUAL_APPROACH:
        if cues.has(signal):
            return f"{signal.replace('_', ' ')} wording: {_quoted(cues.labels(signal))}"
    return None


def adult_in_child_setting(
    cues: CueReading, victim_age: int | None, category_scores: dict[str, float]
) -> str | None:
    """Why a child's mention is only the setting, if it is: the text says the person harmed is
    an adult, no victim age under 18 is stated, and the model does not read child exploitation
    (its score is more than `ADULT_CHILD_MARGIN` below the best)."""
    if not cues.has("adult_target") or (victim_age is not None and victim_age < ADULT_AGE):
        return None
    child = category_scores.get(Category.CHILD_EXPLOITATION.value)
    if child is None or child >= max(category_scores.values()) - ADULT_CHILD_MARGIN:
        return None
    return f"the person harmed is an adult: {_quoted(cues.labels('adult_target'))}"


def child_category(
    category: Category,
    cues: CueReading,
    victim_age: int | None,
    adult: str | None = None,
    scores: dict[str, float] | None = None,
) -> str | None:
    """A reason to file a report under child exploitation instead of `category`, if any: a
    sexual approach or intimate images concerning a person under 18 (none when `adult` says
    the person harmed is an adult, nor when the child is named by a word only and the model's
    `scores` read child exploitation far below their best)."""
    if category not in _CHILD_CATEGORIES_FROM or adult:
        return None
    minor = minor_evidence(cues, victim_age)
    approach = cues.has("sexual") or cues.has("grooming")
    if not (minor and approach):
        return None
    if scores and _child_by_word_only(cues, victim_age) and _below_best(scores, CHILD_WORD_MARGIN):
        return None
    return f"{minor} and {sexual_approach(cues)}: filed as child exploitation"


def _child_by_word_only(cues: CueReading, victim_age: int | None) -> bool:
    """The text names a child by a word only: no stated age, age or school year in it."""
    return victim_age is None and cues.youngest_age is None and not cues.minor


def _below_best(scores: dict[str, float], margin: float) -> bool:
    """The model's child-exploitation score is more than `margin` below its best."""
    child = scores.get(Category.CHILD_EXPLOITATION.value)
    return child is not None and child < max(scores.values()) - margin


def no_child_named(
    category: Category, cues: CueReading, victim_age: int | None, scores: dict[str, float]
) -> tuple[Category, str] | None:
    """The model's next category, when it reads child exploitation in a text that names no
    child (not even by a word of the category's lexicon: "cháu", "con gái tôi", "school") and
    no sexual approach or intimate material: child exploitation needs a child victim or child
    sexual material (issue 12), and such a report is about something else."""
    if category is not Category.CHILD_EXPLOITATION or minor_evidence(cues, victim_age):
        return None
    if cues.score(Category.CHILD_EXPLOITATION.value) > 0:  # "cháu", "con gái tôi", "school"…
        return None
    if sexual_approach(cues) or cues.has("intimate_material"):
        return None
    others = {k: v for k, v in scores.items() if k != Category.CHILD_EXPLOITATION.value}
    if not others:
        return None
    runner_up = Category(max(others, key=lambda label: others[label]))
    return runner_up, f"{runner_up.value} by the learned model (no child or sexual approach named)"


def demand_stated(cues: CueReading) -> bool:
    """A demand that the text makes and does not deny: an amount, extortion ("tống tiền"), a
    condition, a demand word ("không đòi gì", "no demand was made" deny the last two)."""
    if cues.has("amount") or cues.has("extortion"):
        return True
    return cues.has("demand") and not cues.has("no_demand")


def _episode_over(cues: CueReading) -> bool:
    """The text tells of an episode that ended ("năm ngoái", "no contact since") and not of
    demands that go on."""
    return cues.has("past_episode") and not cues.has("resumed")


def _sextortion_now(category: Category, cues: CueReading) -> str | None:
    """Sextortion or blackmail under way: a demand stated and a deadline; or, unless the
    episode is over, a demand with an amount or a threat to send the images to someone."""
    about_images = category is Category.SEXTORTION or cues.score("sextortion") >= SEXTORTION_SCORE
    personal = category in _BLACKMAIL_CATEGORIES
    blackmail = personal and (cues.has("extortion") or cues.has("intimate_material"))
    if not (about_images or blackmail) or not demand_stated(cues):
        return None
    if cues.has("deadline"):
        return f"sextortion under way: a demand with {_quoted(cues.labels('deadline'))}"
    pressing = cues.labels("amount") or cues.labels("publish_threat")
    if pressing and not _episode_over(cues):
        return f"sextortion under way: a demand with {_quoted(pressing)}"
    return None


def images_category(category: Category, cues: CueReading) -> tuple[Category, str] | None:
    """The category that intimate material takes by its demand (spec: sharing intimate images
    without a demand is harassment; threatening them for money or more is sextortion), when the
    model's category (harassment, `other`, sextortion) says otherwise; None when it agrees."""
    if not cues.has("intimate_material"):
        return None
    material = _quoted(cues.labels("intimate_material", 1))
    if category in _IMAGES_WITH_DEMAND_FROM and demand_stated(cues):
        pressing = [*cues.labels("amount"), *cues.labels("deadline"), *cues.labels("extortion")]
        pressing += cues.labels("publish_threat")
        if pressing:
            return (
                Category.SEXTORTION,
                f"intimate material {material} and a demand: {_quoted(pressing[:2])}",
            )
    if category is Category.SEXTORTION and not demand_stated(cues) and not cues.has("deadline"):
        return Category.HARASSMENT, f"intimate material {material} shared without a demand"
    return None


# --- Risk to life (issue 12): self-harm and farewell wording, in any category -------------

RISK_TO_LIFE = "possible risk to life"


def risk_to_life(cues: CueReading) -> str | None:
    """The reason "possible risk to life: '…'" when the text says self-harm or a farewell,
    about the writer or someone she reports (`lexicon/risk_to_life.toml`); None otherwise."""
    if not cues.has(RISK_SIGNAL):
        return None
    return f"{RISK_TO_LIFE}: {_quoted(cues.labels(RISK_SIGNAL))}"


def names_risk_to_life(reasons: Iterable[str]) -> bool:
    """Whether triage's reasons (as stored with a report) include a possible risk to life."""
    return any(str(reason).startswith(RISK_TO_LIFE) for reason in reasons)


# --- end of risk to life -----------------------------------------------------------------


def at_risk(
    category: Category, cues: CueReading, victim_age: int | None, adult: str | None = None
) -> bool:
    """A child at risk or a risk to someone's life: such a report leads its urgency in the
    analysts' queue (a child's sexual danger, any victim under 18, a threat to life, self-harm).
    A child read from the text counts for nothing when `adult` says the person harmed is an
    adult."""
    if category is Category.CHILD_EXPLOITATION:
        return True
    if not adult and minor_evidence(cues, victim_age) is not None:
        return True
    return cues.has("threat_to_life") or cues.has(RISK_SIGNAL)


def cue_floors(
    category: Category, cues: CueReading, victim_age: int | None, adult: str | None = None
) -> list[Floor]:
    """The urgencies that the cues and stated facts alone impose (the safety rule). A child
    read from the text counts for nothing when `adult` says the person harmed is an adult."""
    floors: list[Floor] = []
    risk = risk_to_life(cues)
    if risk:  # first, so that its reason is always among those shown
        floors.append(Floor(Urgency.CRITICAL, risk))
    minor = None if adult else minor_evidence(cues, victim_age)
    approach = sexual_approach(cues)
    if minor and approach:
        floors.append(Floor(Urgency.CRITICAL, f"{minor} and {approach}"))
    if category is Category.CHILD_EXPLOITATION:
        floors.append(Floor(Urgency.CRITICAL, "a child in sexual danger is always critical"))
    if cues.has("threat_to_life"):
        reason = f"threat to life: {_quoted(cues.labels('threat_to_life'))}"
        floors.append(Floor(Urgency.CRITICAL, reason))
    sextortion = _sextortion_now(category, cues)
    if sextortion:
        floors.append(Floor(Urgency.CRITICAL, sextortion))
    if minor:
        floors.append(Floor(Urgency.HIGH, f"{minor} (under 18)"))
    if cues.has("transfer_now"):
        reason = f"money being sent now: {_quoted(cues.labels('transfer_now'))}"
        floors.append(Floor(Urgency.HIGH, reason))
    return floors


def shared_without_demand(category: Category, cues: CueReading) -> bool:
    """Harassment by intimate images with no demand: the spec's harassment, not sextortion
    under way, whatever the learned model's urgency says."""
    return (
        category is Category.HARASSMENT
        and cues.has("intimate_material")
        and not demand_stated(cues)
        and not cues.has("deadline")
    )


def decide_urgency(
    category: Category,
    scores: dict[str, float],
    cues: CueReading,
    victim_age: int | None,
    loss_amount: Decimal | None = None,
    adult: str | None = None,
) -> tuple[Urgency, list[str]]:
    """The model's urgency lifted by every floor; the reasons of the floors that count."""
    if shared_without_demand(category, cues):
        # Only a floor (a threat to life, self-harm, a child) makes such a report critical.
        scores = {k: v for k, v in scores.items() if k != Urgency.CRITICAL.value}
    best = max(scores, key=lambda label: scores[label])
    predicted = Urgency(best)
    reasons: list[str] = []
    critical = scores.get(Urgency.CRITICAL.value)
    if critical is not None and critical >= scores[best] - CRITICAL_MARGIN:
        predicted = Urgency.CRITICAL
    floors = cue_floors(category, cues, victim_age, adult)
    if loss_amount is not None and loss_amount > 0:
        floors.append(Floor(Urgency.NORMAL, "a loss is reported"))
    urgency = predicted
    for floor in floors:
        urgency = at_least(urgency, floor.urgency)
    decisive = [f.reason for f in floors if f.urgency is urgency]
    if decisive:
        reasons.extend(decisive[:3])
    else:
        reasons.append(f"urgency {urgency.value} by the learned model")
    return urgency, reasons


def category_reason(category: Category, cues: CueReading) -> str:
    """Why this category: the strongest terms of its lexicon, or the learned model."""
    terms = cues.category_terms.get(category.value, [])
    if not terms:
        return f"{category.value} by the learned model"
    reason = f"mentions {_quoted([term.label for term in terms[:3]])}"
    if category.value.startswith("fraud.") and (cues.has("transfer_now") or cues.has("demand")):
        reason += " and a transfer request"
    return reason
