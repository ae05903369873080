"""The generated variants of the extraction corpus (ids `g001`…): the cases of issue 12 and 13
written many ways, with the indicators each must yield known by construction.

`python tests/indicators/corpus_variants.py` rewrites the `g` lines of corpus/messages.jsonl
(the hand-written lines are kept); tests/indicators/test_corpus.py checks that the file holds
exactly what this generates.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path
from typing import Any

from tipline.demo import ring_indicators as ri
from tipline.demo import transfer_forms as tf
from tipline.demo.surface_forms import HOLDERS

CORPUS = Path(__file__).parent / "corpus" / "messages.jsonl"
SEED = 20261207
PER_FAMILY = 8

Message = dict[str, Any]

MASKED = (
    ("vi", "số nó {m}, em che bớt", "{d4}xxx{d3}"),
    ("vi", "sđt {m} (em giấu bớt)", "09*****{d3}"),
    ("vi", "Số điện thoại: {m}", "{d4} *** {d3}"),
    ("vi", "STK {m} Vietcombank", "{d4} {d3} xxx"),
    ("vi", "email {m} gửi link", "{name}***@gmail.com"),
    ("vi", "IP {m} theo ảnh chụp", "{o}.xxx.xxx.{o2}"),
    ("vi", "trang {m} giả mạo", "xxx.vn"),
    ("en", "The number was {m} in the screenshot.", "{d4}xxx{d3}"),
    ("en", "account [redacted] and phone {m}", "09** *** {d3}"),
)
HANDLE_FORMS = (
    ("nick Instagram {h}", "instagram"),
    ("IG @{h}", "instagram"),
    ("ig: {h}", "instagram"),
    ("tele @{t}", "telegram"),
    ("Telegram: @{t}", "telegram"),
    ("face {h}", "facebook"),
    ("fb: {h}", "facebook"),
    ("tiktok @{h}", "tiktok"),
    ("tik tok id: {h}", "tiktok"),
    ("zalo: {h}", "zalo"),
)
HANDLE_SENTENCES = {
    "vi": (
        "Con em bị {x} dọa tung ảnh.",
        "Đứa đó dùng {x} nhắn tin làm quen rồi đòi ảnh nóng.",
        "Em bị lừa qua {x}, nó chặn em rồi.",
    ),
    "en": ("My daughter was threatened by {x}.", "He messaged her from {x} and asked for photos."),
}
NAMES = ("hoang", "linh", "bena", "anh", "tuan", "mai", "bong", "ngoc")


def _handle(rng: random.Random, dots: bool) -> str:
    first, second = rng.sample(NAMES, 2)
    year = ri.number(rng, 5, 12)
    joiner = ri.choose(rng, (".", ".", "_")) if dots else "_"
    handle = f"{first}{joiner}{second}{joiner}2k{year}" if year < 10 else f"{first}_{second}{year}"
    return handle.title() if rng.random() < 0.3 and "." in handle else handle


def _account(rng: random.Random) -> ri.BankAccount:
    return ri.BankAccount(ri.choose(rng, ri.BANK_CODES), tf.account_digits(rng))


def _message(lang: str, text: str, expected: list[tuple[str, str]]) -> Message:
    pairs = sorted(set(expected))
    return {
        "lang": lang,
        "text": text,
        "expected": [{"kind": k, "value": v, "allowlisted": False} for k, v in pairs],
    }


def _phone_then_account(rng: random.Random) -> Message:
    lang = ri.choose(rng, ("vi", "vi", "en"))
    text, expected = tf.phone_then_account(rng, ri.vn_mobile(rng), _account(rng), lang)
    return _message(lang, text, expected)


def _form(rng: random.Random) -> Message:
    lang = ri.choose(rng, ("vi", "vi", "en"))
    text, expected = tf.form_block(rng, ri.vn_mobile(rng), _account(rng), lang)
    if rng.random() < 0.5:  # another block after a blank line names another bank
        text += ri.choose(rng, ("\n\nEm dùng Techcombank.", "\n\nMy own bank is ACB."))
    return _message(lang, text, expected)


def _hotline(rng: random.Random) -> Message:
    lang = ri.choose(rng, ("vi", "en"))
    text, expected = tf.hotline(rng, lang)
    phone = ri.vn_mobile(rng)
    tail = {"vi": " Số lừa đảo là {p}.", "en": " The scammer's number was {p}."}[lang]
    return _message(lang, text + tail.format(p=tf.phone_text(rng, phone)), [("phone", phone.e164)])


def _masked(rng: random.Random) -> Message:
    lang, template, mask = ri.choose(rng, MASKED)
    n = ri.vn_mobile(rng).national
    value = mask.format(
        d4="0" + n[:3], d3=n[-3:], name=ri.choose(rng, NAMES), o=ri.number(rng, 14, 223),
        o2=ri.number(rng, 1, 254),
    )  # fmt: skip
    return _message(lang, template.format(m=value), [])


def _handle_message(rng: random.Random) -> Message:
    lang = ri.choose(rng, ("vi", "vi", "en"))
    form, platform = ri.choose(rng, HANDLE_FORMS)
    handle = _handle(rng, dots=platform != "telegram")
    written = form.format(h=handle, t=handle)
    text = ri.choose(rng, HANDLE_SENTENCES[lang]).format(x=written)
    return _message(lang, text, [("social", f"{platform}:{handle.lower()}")])


def _bank_before(rng: random.Random) -> Message:
    """The bank named before the number by a Vietnamese name, in a transfer instruction."""
    account = _account(rng)
    name = tf.bank_name(rng, account.bank, "vi")
    template = ri.choose(
        rng, ("CK vào {b} {a} tên {h}", "chuyển vào TK {b} số {a}", "{b} - {a} - {h}")
    )
    text = template.format(b=name, a=account.digits, h=ri.choose(rng, HOLDERS))
    return _message("vi", text, [("bank_account", f"{account.bank}:{account.digits}")])


FAMILIES = (_phone_then_account, _form, _hotline, _masked, _handle_message, _bank_before)


def variants() -> list[Message]:
    rng = random.Random(SEED)
    messages: list[Message] = []
    texts: set[str] = set()
    for family in FAMILIES:
        made = 0
        while made < PER_FAMILY:
            message = family(rng)
            if message["text"] not in texts:
                texts.add(message["text"])
                messages.append(message)
                made += 1
    return [{"id": f"g{i:03d}", **m} for i, m in enumerate(messages, start=1)]


def main() -> int:
    lines = CORPUS.read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if line.strip() and not json.loads(line)["id"].startswith("g")]
    generated = [json.dumps(m, ensure_ascii=False) for m in variants()]
    CORPUS.write_text("\n".join(kept + generated) + "\n", encoding="utf-8")
    sys.stdout.write(f"{len(generated)} variants written after {len(kept)} hand-written lines\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
