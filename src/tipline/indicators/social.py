"""Social-media accounts as `PLATFORM:HANDLE`, from profile links and from `Telegram @handle`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

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
    r"(?P<platform>telegram|tele|tg|zalo|facebook|fb|tiktok|tik tok|instagram|insta|ig|twitter|"
    r"youtube|yt)"
)
_WORD_TO_PLATFORM = {
    "telegram": "telegram",
    "tele": "telegram",
    "tg": "telegram",
    "zalo": "zalo",
    "facebook": "facebook",
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
        if platform is not None:
            yield Account(f"{platform}:{match.group('handle').lower()}", start, end)
