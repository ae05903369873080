"""The ways victims write an indicator, each paired with what the indicators spec extracts from it.

Every function takes a random source and a value and returns `(text, expected)`, where
`expected` lists the `(kind, canonical value)` pairs the spec says that text yields (a URL also
yields its host's domain, a social URL its handle, url and domain, and so on).
"""

from __future__ import annotations

import ipaddress
import random
import unicodedata

from tipline.demo.ring_indicators import BankAccount, Handle, Host, Phone, Wallet, choose

Expected = list[tuple[str, str]]
Rendered = tuple[str, Expected]

# How people write a bank's name; the first is the display name.
BANK_NAMES: dict[str, tuple[str, ...]] = {
    "VCB": ("Vietcombank", "VCB", "vietcombank", "Ngoại thương", "VIETCOMBANK", "Vietcom bank"),
    "ICB": ("VietinBank", "Vietinbank", "CTG", "Công thương"),
    "BIDV": ("BIDV", "bidv", "Đầu tư và Phát triển"),
    "VBA": ("Agribank", "agribank", "Agri", "Nông nghiệp"),
    "TCB": ("Techcombank", "TCB", "techcombank", "Techcom"),
    "MB": ("MBBank", "MB", "MB Bank", "mbbank", "Quân đội"),
    "ACB": ("ACB", "acb", "Á Châu"),
    "VPB": ("VPBank", "VP Bank", "vpbank"),
    "TPB": ("TPBank", "TP Bank", "Tiên Phong", "tpbank"),
    "STB": ("Sacombank", "Sacom", "sacombank"),
    "SHB": ("SHB",),
    "HDB": ("HDBank", "HD Bank"),
    "VIB": ("VIB",),
    "MSB": ("MSB", "Maritime Bank", "Hàng Hải"),
    "OCB": ("OCB", "Phương Đông"),
    "SEAB": ("SeABank", "SeA Bank"),
    "EIB": ("Eximbank", "Exim"),
    "LPB": ("LPBank", "LienVietPostBank", "Lộc Phát"),
    "CAKE": ("CAKE by VPBank", "Cake"),
    "TIMO": ("Timo", "TIMO"),
}

ACCOUNT_FORMS = {
    "vi": (
        "STK {d} {b}",
        "STK: {d} - {b}",
        "số tài khoản: {g} ({b})",
        "số tài khoản {d} tại {b}",
        "ck vào tk {d} {b}",
        "chuyển khoản vào {d} {b}",
        "{b} {d}",
        "TK {b}: {d}",
        "tài khoản {b} số {d}",
        "STK {d} ngân hàng {b}, chủ TK {h}",
        "{d} - {b} - {h}",
        "số TK {g} {b}",
    ),
    "en": (
        "account {d} at {b}",
        "acct {d} ({b})",
        "a/c {d} {b}",
        "{b} account {d}",
        "account number: {g} ({b})",
        "{b} {d}, account holder {h}",
        "account no. {d} ({b})",
    ),
}
UNKNOWN_ACCOUNT_FORMS = {
    "vi": (
        "STK {d}",
        "số tài khoản: {g}",
        "ck vào tk {d}",
        "số tài khoản {d}, chủ TK {h}",
        "chuyển khoản vào {d}",
    ),
    "en": ("account {d}", "acct no. {d}", "account number {g}", "a/c {d}, holder {h}"),
}
HOLDERS = (
    "NGUYEN VAN HUNG",
    "TRAN THI MAI",
    "LE VAN TUAN",
    "PHAM THI HOA",
    "HOANG MINH DUC",
    "VU THI LAN",
    "DANG QUOC BAO",
    "BUI THI THU",
    "DO VAN LONG",
    "NGO THI HANG",
)
WALLET_LABELS: dict[str, dict[str, tuple[str, ...]]] = {
    "vi": {
        "trx": ("ví USDT TRC20: {a}", "USDT (TRC20) {a}", "địa chỉ ví TRC20 {a}", "{a}"),
        "eth": ("ví ETH {a}", "ERC20: {a}", "địa chỉ ví {a}", "{a}"),
        "btc": ("ví BTC {a}", "Bitcoin: {a}", "địa chỉ BTC {a}", "{a}"),
    },
    "en": {
        "trx": ("USDT TRC20 wallet {a}", "TRON address {a}", "{a}"),
        "eth": ("ETH wallet {a}", "ERC20 address {a}", "{a}"),
        "btc": ("BTC address {a}", "bitcoin wallet {a}", "{a}"),
    },
}
HANDLE_PHRASES = {
    "vi": ("{P} @{h}", "{P}: @{h}", "@{h} trên {P}", "nick {P} @{h}"),
    "en": ("{P} @{h}", "{P}: @{h}", "@{h} on {P}", "{P} account @{h}"),
}
PLATFORM_NAMES = {
    "telegram": "Telegram",
    "tiktok": "TikTok",
    "instagram": "Instagram",
    "youtube": "YouTube",
}
PLATFORM_HOSTS = {
    "facebook": "facebook.com",
    "telegram": "t.me",
    "zalo": "zalo.me",
    "tiktok": "tiktok.com",
    "instagram": "instagram.com",
    "x": "x.com",
    "youtube": "youtube.com",
}
DEFANGS = ("[.]", "(.)", "[dot]", "[.]")


def _strip_table() -> dict[int, str]:
    table = {ord("đ"): "d", ord("Đ"): "D"}
    for code in range(0xC0, 0x1F00):
        decomposed = unicodedata.normalize("NFD", chr(code))
        base = "".join(c for c in decomposed if not unicodedata.combining(c))
        if base != chr(code) and len(base) == 1 and base.isascii():
            table[code] = base
    return table


_STRIP = _strip_table()


def strip_marks(text: str) -> str:
    """Vietnamese without diacritics, as many people type it."""
    return text.translate(_STRIP)


def phone(rng: random.Random, value: Phone) -> Rendered:
    n = value.national
    if value.country != "84":
        text = choose(
            rng, (value.e164, f"+{value.country} {n}", f"+{value.country} {n[:3]} {n[3:6]} {n[6:]}")
        )
    elif len(n) == 9:
        local = "0" + n
        text = choose(
            rng,
            (
                local,
                local,
                f"{local[:4]} {n[3:6]} {n[6:]}",
                f"{local[:4]}.{n[3:6]}.{n[6:]}",
                f"{local[:4]}-{n[3:6]}-{n[6:]}",
                f"{local[:3]} {local[3:6]} {local[6:]}",
                value.e164,
                f"+84 {n[:3]} {n[3:6]} {n[6:]}",
                f"+84 {n[:3]}-{n[3:6]}-{n[6:]}",
                f"(+84) {n}",
                "84" + n,
            ),
        )
    else:
        area = n[:2] if n[:2] in ("24", "28") else n[:3]
        rest = n[len(area) :]
        text = choose(
            rng,
            (
                f"0{n}",
                f"(0{area}) {rest[:4]} {rest[4:]}",
                f"0{area} {rest[:4]} {rest[4:]}",
                f"+84 {area} {rest[:4]} {rest[4:]}",
            ),
        )
    return text, [("phone", value.e164)]


def bank_account(rng: random.Random, value: BankAccount, lang: str, named: bool) -> Rendered:
    d = value.digits
    grouped = " ".join((d[:4], d[4:8], d[8:12], d[12:])).strip()
    holder = choose(rng, HOLDERS)
    if named:
        form = choose(rng, ACCOUNT_FORMS[lang])
        bank = choose(rng, BANK_NAMES[value.bank])
        code = value.bank
    else:
        form, bank, code = choose(rng, UNKNOWN_ACCOUNT_FORMS[lang]), "", "UNKNOWN"
    text = form.format(d=d, g=grouped, b=bank, h=holder)
    return text, [("bank_account", f"{code}:{d}")]


def _defang(host: str, rng: random.Random) -> str:
    mark = choose(rng, DEFANGS)
    if rng.random() < 0.5:
        head, _, tail = host.rpartition(".")
        return f"{head}{mark}{tail}"
    return host.replace(".", mark)


def _mixed_case(host: str) -> str:
    return ".".join(label.capitalize() for label in host.split("."))


def url(rng: random.Random, host: Host, path: str) -> Rendered:
    """A link on a host of the ring's, written one of the many ways a victim pastes it."""
    h = host.name
    fanged = _defang(h, rng)
    variants: tuple[tuple[str, str], ...] = (
        (f"https://{h}{path}", f"https://{h}{path}"),
        (f"http://{h}", f"http://{h}/"),
        (f"https://{h}", f"https://{h}/"),
        (f"hxxps://{fanged}{path}", f"https://{h}{path}"),
        (f"hxxp://{fanged}{path}", f"http://{h}{path}"),
        (f"hxxps[:]//{fanged}{path}", f"https://{h}{path}"),
        (f"https://{_mixed_case(h)}{path}", f"https://{h}{path}"),
        (f"HTTPS://{h}{path}", f"https://{h}{path}"),
        (f"{h}{path}", f"http://{h}{path}"),
        (f"https://{h}:443{path}", f"https://{h}{path}"),
        (f"http://{h}:8080{path}", f"http://{h}:8080{path}"),
        (f"https://{h}{path}#top", f"https://{h}{path}"),
    )
    if h == host.domain:
        variants += ((f"www.{h}{path}", f"http://www.{h}{path}"), (f"www.{h}", f"http://www.{h}/"))
    text, canonical = choose(rng, variants)
    return text, [("url", canonical), ("domain", host.domain)]


def idn_url(rng: random.Random, unicode_host: str, host: Host, path: str) -> Rendered:
    text = choose(rng, (f"https://{unicode_host}{path}", f"http://{unicode_host}{path}"))
    scheme = text.split(":", 1)[0]
    return text, [("url", f"{scheme}://{host.name}{path}"), ("domain", host.domain)]


def ip_url(rng: random.Random, ip: str, path: str) -> Rendered:
    text, canonical = choose(
        rng,
        (
            (f"http://{ip}{path}", f"http://{ip}{path}"),
            (f"http://{ip}:8080{path}", f"http://{ip}:8080{path}"),
            (f"hxxp://{_defang(ip, rng)}{path}", f"http://{ip}{path}"),
        ),
    )
    return text, [("url", canonical), ("ip", ip)]


def short_link(rng: random.Random, shortener: str, code: str) -> Rendered:
    text, canonical = choose(
        rng,
        (
            (f"{shortener}/{code}", f"http://{shortener}/{code}"),
            (f"https://{shortener}/{code}", f"https://{shortener}/{code}"),
            (f"hxxps://{_defang(shortener, rng)}/{code}", f"https://{shortener}/{code}"),
        ),
    )
    return text, [("url", canonical), ("domain", shortener)]


def bare_domain(rng: random.Random, host: Host) -> Rendered:
    text = choose(rng, (host.name, host.domain, _defang(host.name, rng), _mixed_case(host.domain)))
    return text, [("domain", host.domain)]


def legit_site(rng: random.Random, domain: str) -> Rendered:
    if rng.random() < 0.6:
        return domain, [("domain", domain)]
    return f"https://{domain}", [("url", f"https://{domain}/"), ("domain", domain)]


def email(rng: random.Random, address: str) -> Rendered:
    local, _, mail_host = address.partition("@")
    text = choose(
        rng,
        (
            address,
            address,
            f"{local.title()}@{mail_host.capitalize()}",
            f"{local}[@]{mail_host}",
            f"{local}[at]{_defang(mail_host, rng)}",
        ),
    )
    return text, [("email", address.lower())]


def ip(rng: random.Random, address: str) -> Rendered:
    if ":" in address:
        text = choose(rng, (address, ipaddress.IPv6Address(address).exploded))
        return text, [("ip", address)]
    return choose(rng, (address, address, _defang(address, rng))), [("ip", address)]


def wallet(rng: random.Random, value: Wallet, lang: str) -> Rendered:
    address = value.address
    if value.chain == "eth" and rng.random() < 0.15:
        address = "0x" + address[2:].upper()
    text = choose(rng, WALLET_LABELS[lang][value.chain]).format(a=address)
    return text, [("crypto", value.canonical)]


def file_hash(rng: random.Random, algo: str, hex_digest: str) -> Rendered:
    written = hex_digest.upper() if rng.random() < 0.3 else hex_digest
    label = choose(rng, (f"{algo.upper()}: ", f"{algo} ", f"{algo.upper()} ", ""))
    return f"{label}{written}", [("hash", f"{algo}:{hex_digest}")]


def social(rng: random.Random, value: Handle, lang: str) -> Rendered:
    platform, h = value.platform, value.handle
    canonical = f"{platform}:{h.lower()}"
    if platform in PLATFORM_NAMES and h[0] != "0" and rng.random() < 0.4:
        phrase = choose(rng, HANDLE_PHRASES[lang])
        return phrase.format(P=PLATFORM_NAMES[platform], h=h), [("social", canonical)]
    site = PLATFORM_HOSTS[platform]
    path = {"tiktok": f"/@{h}", "youtube": f"/@{h}"}.get(platform, f"/{h}")
    if platform == "facebook" and h.isdigit():
        path = f"/profile.php?id={h}"
    www = "www." if platform in ("facebook", "tiktok", "instagram", "youtube") else ""
    text, link = choose(
        rng,
        (
            (f"{site}{path}", f"http://{site}{path}"),
            (f"https://{www}{site}{path}", f"https://{www}{site}{path}"),
        ),
    )
    return text, [("social", canonical), ("url", link), ("domain", site)]
