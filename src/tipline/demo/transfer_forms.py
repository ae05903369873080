"""Transfer instructions as victims paste them: a phone and an account in many formats, the bank
by any of its names, in sentences, clauses and form-style lines, next to the numbers that are
neither (the bank's real hotline, a masked number).

Every function returns `(text, expected)`: the `(kind, canonical value)` pairs the indicators
spec says the text yields, known by construction. `bench/campaign_rings.py` writes scam rings'
reports with them and `tests/indicators/corpus_variants.py` the corpus's generated variants.
"""

from __future__ import annotations

import random

from tipline.demo import ring_indicators as ri
from tipline.demo.ring_indicators import BankAccount, Phone, choose
from tipline.demo.surface_forms import BANK_NAMES, HOLDERS, strip_marks

Expected = list[tuple[str, str]]
Rendered = tuple[str, Expected]

# Each bank's Vietnamese names as people write them after "ngân hàng" or alone (the spec's bank
# table, "also written", and the banks' full names "Ngân hàng TMCP … Việt Nam").
VIETNAMESE_NAMES: dict[str, tuple[str, ...]] = {
    "VCB": ("Ngoại thương", "Ngân hàng TMCP Ngoại thương Việt Nam", "Ngoại Thương Việt Nam"),
    "ICB": ("Công thương", "Ngân hàng TMCP Công Thương Việt Nam"),
    "BIDV": ("Đầu tư và Phát triển", "Ngân hàng TMCP Đầu tư và Phát triển Việt Nam"),
    "VBA": ("Nông nghiệp", "Ngân hàng Nông nghiệp và Phát triển Nông thôn Việt Nam"),
    "TCB": ("Kỹ Thương", "Ngân hàng TMCP Kỹ Thương Việt Nam"),
    "MB": ("Quân đội", "Ngân hàng TMCP Quân đội"),
    "ACB": ("Á Châu", "Ngân hàng TMCP Á Châu"),
    "VPB": ("Ngân hàng Việt Nam Thịnh Vượng", "Ngân hàng TMCP Việt Nam Thịnh Vượng"),
    "TPB": ("Tiên Phong", "Ngân hàng TMCP Tiên Phong"),
    "STB": ("Sài Gòn Thương Tín", "Ngân hàng TMCP Sài Gòn Thương Tín"),
    "SHB": ("Ngân hàng Sài Gòn - Hà Nội", "Ngân hàng TMCP Sài Gòn - Hà Nội"),
    "HDB": ("Ngân hàng Phát triển TP.HCM", "Ngân hàng TMCP Phát triển Thành phố Hồ Chí Minh"),
    "VIB": ("Ngân hàng Quốc tế", "Ngân hàng TMCP Quốc tế Việt Nam"),
    "MSB": ("Hàng Hải", "Ngân hàng TMCP Hàng Hải Việt Nam"),
    "OCB": ("Phương Đông", "Ngân hàng TMCP Phương Đông"),
    "SEAB": ("Ngân hàng Đông Nam Á", "Ngân hàng TMCP Đông Nam Á"),
    "EIB": ("Ngân hàng Xuất Nhập khẩu", "Ngân hàng TMCP Xuất Nhập khẩu Việt Nam"),
    "LPB": ("Lộc Phát", "Bưu điện Liên Việt", "Ngân hàng TMCP Lộc Phát Việt Nam"),
    "CAKE": ("CAKE by VPBank",),
    "TIMO": ("Timo",),
}
# Real hotlines (1800/1900 service lines) that victims quote; never an indicator.
HOTLINES = ("1800 588 822", "1900 545413", "1800 1199", "1900 545426", "1800 588 818")

# A phone, then the account in a sentence or clause of its own: the account cue belongs to the
# digits after it. {p}: phone, {a}: account digits, {b}: bank name, {h}: holder.
PHONE_THEN_ACCOUNT = {
    "vi": (
        "Số của nó {p}. CK vào tài khoản {b} số {a}",
        "Số của nó {p} CK vào tài khoản {b} số {a}",
        "Nó gọi em từ số {p}. Sau đó bảo chuyển khoản vào STK {a} {b}",
        "sđt nó {p}. chuyển tiền vào tk {b} {a} tên {h}",
        "Nó dùng số {p}, bắt em CK vào {b} {a}",
        "Số liên hệ: {p}. Tài khoản nhận tiền: {a} ({b})",
        "Em chuyển vào tài khoản {b} số {a}. Số của nó {p}",
    ),
    "en": (
        "His number is {p}. Transfer to account {a} at {b}.",
        "The call came from {p}. They asked me to pay into acct {a} ({b}).",
        "Contact: {p}. Account: {a} {b}, holder {h}.",
        "I paid into {b} account {a}. The scammer's phone is {p}.",
    ),
}
# Form-style blocks: one field a line; the bank on another line than the number.
FORM_LINES = {
    "vi": ("Số TK: {g}", "Chủ TK: {h}", "Ngân hàng: {b}", "SĐT: {p}"),
    "en": ("Account number: {g}", "Account name: {h}", "Bank: {b}", "Phone: {p}"),
}
HOTLINE_SENTENCES = {
    "vi": (
        "Em gọi hotline {b} {s} thì họ bảo đã bị lừa.",
        "Tổng đài {b} {s} khóa tài khoản giúp em rồi.",
    ),
    "en": ("I called the {b} hotline {s} to freeze it.", "{b} support ({s}) said it was a scam."),
}


def phone_text(rng: random.Random, phone: Phone) -> str:
    """A Vietnamese mobile number written one of the ways people write it."""
    n = phone.national
    local = "0" + n
    return choose(
        rng,
        (
            local,
            f"{local[:4]}.{n[3:6]}.{n[6:]}",
            f"{local[:4]} {n[3:6]} {n[6:]}",
            f"{local[:4]}-{n[3:6]}-{n[6:]}",
            f"{local[:3]} {local[3:6]} {local[6:]}",
            f"+84 {n[:3]} {n[3:6]} {n[6:]}",
            f"+84{n}",
            f"(+84) {n}",
            "84" + n,
        ),
    )


def bank_name(rng: random.Random, code: str, lang: str) -> str:
    """The bank by its brand, code, a short name or its Vietnamese name, with or without
    diacritics (the English-language victim uses the brand)."""
    names = BANK_NAMES[code] if lang == "en" else BANK_NAMES[code] + VIETNAMESE_NAMES[code]
    name = choose(rng, names)
    return strip_marks(name) if lang == "vi" and rng.random() < 0.3 else name


def grouped(digits: str) -> str:
    return " ".join(digits[i : i + 4] for i in range(0, len(digits), 4))


def account_digits(rng: random.Random) -> str:
    """An account number: 9 to 14 digits, or a phone number serving as one; never a service
    line's digits."""
    if rng.random() < 0.2:
        return "0" + ri.vn_mobile(rng).national
    length = ri.number(rng, 9, 14)
    return choose(rng, "123456789") + ri.digits(rng, length - 1)


def phone_then_account(
    rng: random.Random, phone: Phone, account: BankAccount, lang: str
) -> Rendered:
    template = choose(rng, PHONE_THEN_ACCOUNT[lang])
    text = template.format(
        p=phone_text(rng, phone),
        a=account.digits,
        b=bank_name(rng, account.bank, lang),
        h=choose(rng, HOLDERS),
    )
    return text, [("phone", phone.e164), ("bank_account", f"{account.bank}:{account.digits}")]


def form_block(rng: random.Random, phone: Phone, account: BankAccount, lang: str) -> Rendered:
    """The account's fields on lines of their own, in any order, the phone among them or not."""
    number_line, holder_line, bank_line, phone_line = FORM_LINES[lang]
    lines = [number_line, holder_line, bank_line]
    rng.shuffle(lines)
    with_phone = rng.random() < 0.5
    if with_phone:
        lines.insert(ri.number(rng, 0, len(lines)), phone_line)
    text = "\n".join(lines).format(
        g=grouped(account.digits) if rng.random() < 0.5 else account.digits,
        h=choose(rng, HOLDERS),
        b=bank_name(rng, account.bank, lang),
        p=phone_text(rng, phone),
    )
    expected: Expected = [("bank_account", f"{account.bank}:{account.digits}")]
    return text, expected + ([("phone", phone.e164)] if with_phone else [])


def hotline(rng: random.Random, lang: str) -> Rendered:
    """A bank's real service line right after its name: no indicator."""
    code = choose(rng, ("VCB", "TCB", "MB", "ACB", "BIDV", "VBA"))
    template = choose(rng, HOTLINE_SENTENCES[lang])
    return template.format(b=BANK_NAMES[code][0], s=choose(rng, HOTLINES)), []
