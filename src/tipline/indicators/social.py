"""Social-media accounts as `PLATFORM:HANDLE`, from profile links and from `Telegram @handle`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import parse_qs, urlsplit

from tipline.indicators.alternation import alternation
from tipline.indicators.masks import is_masked_name

PLATFORM_HOSTS = {
    "facebook.com": "facebook",
    "fb.com": "facebook",
    "fb.me": "facebook",
    "t.me": "telegram",
    "telegram.me": "telegram",
    "telegram.dog": "telegram",
    "zalo.me": "zalo",
    "tiktok.com": "tiktok",
    "instagram.com": "instagram",
    "instagr.am": "instagram",
    "x.com": "x",
    "twitter.com": "x",
    "youtube.com": "youtube",
}
# Each platform as people write its name, in every language (brand names are not translated).
PLATFORM_NAMES = {
    "facebook": "Facebook",
    "telegram": "Telegram",
    "zalo": "Zalo",
    "tiktok": "TikTok",
    "instagram": "Instagram",
    "x": "X",
    "youtube": "YouTube",
}

# First path segments that are pages of the platform itself, not an account.
_RESERVED = {
    "facebook": {
        "groups",
        "events",
        "watch",
        "help",
        "login",
        "login.php",
        "share",
        "sharer",
        "sharer.php",
        "marketplace",
        "photo.php",
        "photo",
        "photos",
        "story.php",
        "permalink.php",
        "policies",
        "settings",
        "reel",
        "reels",
        "hashtag",
        "gaming",
        "privacy",
        "business",
        "ads",
        "pages",
        "search",
        "home.php",
        "notifications",
        "messages",
        "friends",
        "dialog",
        "plugins",
        "legal",
        "stories",
        "videos",
        "v",
        "l.php",
        "recover",
        "checkpoint",
        "terms",
        "about",
    },
    "telegram": {
        "joinchat",
        "addstickers",
        "share",
        "proxy",
        "socks",
        "c",
        "iv",
        "login",
        "setlanguage",
    },
    "zalo": {"g", "s", "pc", "blog", "download"},
    "tiktok": {
        "t",
        "tag",
        "discover",
        "music",
        "foryou",
        "explore",
        "live",
        "login",
        "legal",
        "about",
    },
    "instagram": {
        "p",
        "reel",
        "reels",
        "explore",
        "accounts",
        "about",
        "legal",
        "direct",
        "tv",
        "developer",
        "web",
        "challenge",
    },
    "x": {
        "i",
        "home",
        "search",
        "intent",
        "share",
        "hashtag",
        "explore",
        "settings",
        "login",
        "messages",
        "notifications",
        "tos",
        "privacy",
        "compose",
    },
    "youtube": {"watch", "results", "playlist", "shorts", "feed", "embed", "live", "redirect"},
}

_HANDLE = re.compile(r"[A-Za-z0-9_.\-]{1,100}")

_PLATFORM_WORDS = (
    r"(?P<platform>telegram|tele|tg|zalo|facebook|face|fb|tiktok|tik tok|instagram|insta|ig|"
    r"twitter|youtube|yt)"
)
# The words people write for a platform (`face`, `tele`, `IG` in teen-code), lower-case.
PLATFORM_WORDS = {
    "telegram": "telegram",
    "tele": "telegram",
    "tg": "telegram",
    "zalo": "zalo",
    "facebook": "facebook",
    "face": "facebook",
    "fb": "facebook",
    "tiktok": "tiktok",
    "tik tok": "tiktok",
    "instagram": "instagram",
    "insta": "instagram",
    "ig": "instagram",
    "twitter": "x",
    "youtube": "youtube",
    "yt": "youtube",
    "x": "x",
}
_WORD_TO_PLATFORM = PLATFORM_WORDS
MENTION = re.compile(r"@(?P<handle>[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,62}[A-Za-z0-9_])?)(?![\w@])")
# `Telegram @HoTro_VCB`, `telegram: @x`, `tele id: @x` just before the mention...
PLATFORM_BEFORE = re.compile(
    rf"(?<![\w@]){_PLATFORM_WORDS}\s?(?:[:\-–]\s?|\s(?:id|acc|nick|name|account)\s?:?\s?)?$",
    re.IGNORECASE,
)
# ... or `@x on Telegram`, `@x (Telegram)`, `@x trên Zalo` just after it.
PLATFORM_AFTER = re.compile(
    rf"\s?(?:\(|\s(?:on|tren|trên|via|qua)\s)\s?{_PLATFORM_WORDS}(?!\w)", re.IGNORECASE
)


# A handle written without `@` right after its platform: `nick Instagram hoang.anh.2k9`,
# `fb: nguyen.van.a`, `tiktok id: be_na_2k8`, `IG username: linhxinh`.
_LABEL = r"nick(?:name)?|nic|nik|acc(?:ount)?|id|user(?:name)?|handle|t[eê]n|l[aà]|is"
NAMED_HANDLE = re.compile(
    rf"(?<![\w@./]){_PLATFORM_WORDS}(?![\w.@/])"
    rf"(?P<labels>(?:\s?(?:{_LABEL})(?!\w)){{0,2}})\s?(?P<colon>[:\-\u2013]?)\s?"
    r"(?P<handle>[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,62}[A-Za-z0-9_])?)(?![\w@/\-]|\.\w)",
    re.IGNORECASE,
)
_PLATFORM_THEN_SEPARATOR = re.compile(
    "(?:"
    + alternation(sorted((w for w in PLATFORM_WORDS if w != "x"), key=len, reverse=True))
    + r")[ :\-\u2013]"
)
_HANDLE_MARK = re.compile(r"[._0-9]")
_LETTER = re.compile(r"[A-Za-z]")
_SENTENCE_JOINED = re.compile(r"[a-z0-9_]+\.[A-Z]")  # "zalo roi.Sau do": two sentences
_NO_DOTS = frozenset({"telegram", "x"})  # whose handles are letters, digits and `_` only


@dataclass(frozen=True, slots=True)
class Account:
    value: str
    start: int
    end: int


def platform_of(registrable: str | None) -> str | None:
    """The platform whose site this registrable domain is, if any."""
    return PLATFORM_HOSTS.get(registrable or "")


def _handle_from_path(platform: str, path: str, query: str) -> str | None:
    segments = [s for s in path.split("/") if s]
    if platform == "facebook" and segments[:1] == ["profile.php"]:
        ids = parse_qs(query).get("id")
        return ids[0] if ids and ids[0].isdigit() else None
    if platform == "telegram" and segments[:1] == ["s"]:
        segments = segments[1:]
    if platform == "youtube" and segments[:1] in (["c"], ["user"], ["channel"]):
        segments = segments[1:]
    elif platform == "youtube" and not (segments and segments[0].startswith("@")):
        return None
    if not segments:
        return None
    first = segments[0]
    if platform in ("tiktok", "youtube"):
        if not first.startswith("@"):
            return first if platform == "youtube" else None
        first = first[1:]
    if first.lower() in _RESERVED[platform] or first.startswith("+"):
        return None
    return first if _HANDLE.fullmatch(first) else None


@lru_cache(maxsize=16384)
def is_invite_link(url: str, registrable: str | None) -> bool:
    """A link into a group or chat (`t.me/+…`, `t.me/joinchat/…`, `zalo.me/g/…`): the criminal's
    own link even on a legitimate platform, so it is never allowlisted."""
    platform = platform_of(registrable)
    if platform is None:
        return False
    segments = [seg for seg in urlsplit(url).path.split("/") if seg]
    if not segments:
        return False
    first = segments[0].lower()
    if platform == "telegram":
        return first.startswith("+") or first == "joinchat"
    return (platform, first) in {("zalo", "g"), ("facebook", "groups")}


@lru_cache(maxsize=16384)  # a campaign's link comes back in report after report
def account_from_url(url: str, registrable: str | None) -> str | None:
    """`https://facebook.com/Nguyen.Van.A` → `facebook:nguyen.van.a`, or None for other pages."""
    platform = platform_of(registrable)
    if platform is None:
        return None
    parts = urlsplit(url)
    handle = _handle_from_path(platform, parts.path, parts.query)
    return f"{platform}:{handle.lower()}" if handle else None


def _platform_near(text: str, start: int, end: int) -> str | None:
    before = PLATFORM_BEFORE.search(text, max(0, start - 24), start)
    if before is not None:
        return _WORD_TO_PLATFORM[before.group("platform").lower()]
    after = PLATFORM_AFTER.match(text, end, end + 24)
    if after is not None:
        return _WORD_TO_PLATFORM[after.group("platform").lower()]
    return None


def find_mentions(text: str) -> Iterator[Account]:
    """Handles that the text ties to a platform by name."""
    for match in MENTION.finditer(text):
        start, end = match.span()
        if start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_@."):
            continue  # an e-mail address or a handle glued to a word
        platform = _platform_near(text, start, end)
        if platform is not None and not is_masked_name(match.group("handle")):
            yield Account(f"{platform}:{match.group('handle').lower()}", start, end)


def _named_handle(match: re.Match[str]) -> str | None:
    """`PLATFORM:handle` of a NAMED_HANDLE match, or None when the word after the platform is
    not a handle: a plain word needs a label and a colon (`IG username: linhxinh`), else a
    handle has a dot, an underscore or a digit (`hoang.anh.2k9`) and a letter."""
    platform = PLATFORM_WORDS[" ".join(match.group("platform").lower().split())]
    handle = match.group("handle")
    if not _LETTER.search(handle) or is_masked_name(handle) or _SENTENCE_JOINED.match(handle):
        return None
    if platform in _NO_DOTS and "." in handle:
        return None
    labelled = bool(match.group("labels").strip()) and bool(match.group("colon"))
    if not labelled and not _HANDLE_MARK.search(handle):
        return None
    return f"{platform}:{handle.lower()}"


def _named_handle_matches(text: str) -> Iterator[re.Match[str]]:
    """NAMED_HANDLE's matches, found fast: a case-sensitive scan of the lower-cased text for a
    platform's name and a separator (a fifth of the cost of the whole pattern everywhere), then
    the pattern where one is. Lower-casing keeps offsets unless a rare letter changes length."""
    lowered = text.lower()
    if len(lowered) != len(text):
        yield from NAMED_HANDLE.finditer(text)
        return
    for hit in _PLATFORM_THEN_SEPARATOR.finditer(lowered):
        match = NAMED_HANDLE.match(text, hit.start())
        if match is not None:
            yield match


def find_named_handles(text: str) -> Iterator[Account]:
    """Handles written without `@` right after the name of their platform."""
    for match in _named_handle_matches(text):
        value = _named_handle(match)
        if value is not None:
            yield Account(value, match.start("handle"), match.end("handle"))


def shown_handle(value: str) -> str:
    """A `PLATFORM:HANDLE` account as people write it (`Instagram: hoang.anh.2k9`), never the
    stored `instagram:hoang.anh.2k9`; a platform not in PLATFORM_NAMES (one a partner's feed
    named) capitalised."""
    platform, colon, handle = value.partition(":")
    if not colon or not platform or not handle:
        return value
    return f"{PLATFORM_NAMES.get(platform, platform.capitalize())}: {handle}"
