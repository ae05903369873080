"""Indicators that fictional scam rings use, each with its canonical value per the indicators spec.

The generator draws these values and writes them in the many ways victims do; what it writes is
rendered in `surface_forms`. Values are random but valid (phones libphonenumber accepts, crypto
addresses with correct checksums) so that an extractor which validates still finds them.
"""

from __future__ import annotations

import ipaddress
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

import base58
import bech32
import phonenumbers

# Vietnamese mobile prefixes (after the trunk 0) that libphonenumber accepts for any 7 digits.
VN_MOBILE_PREFIXES = (
    "32 33 34 35 36 37 38 39 70 76 77 78 79 81 82 83 84 85 86 88 90 91 92 93 94 96 97 98 56 58 59"
).split()
VN_LANDLINE_PREFIXES = ("24", "28", "236", "225", "251", "292")
# Country calling code and the national significant number's leading digits and length.
FOREIGN_PHONE_PLANS = (
    ("855", ("12", "17", "92", "96", "97", "10", "70", "88"), 8),
    ("66", ("81", "82", "86", "89", "61", "62", "95"), 9),
    ("86", ("138", "139", "150", "186", "131", "177"), 11),
    ("1", ("202", "415", "646", "718", "213", "305"), 10),
    ("44", ("7911", "7700", "7400", "7520"), 10),
    ("60", ("12", "13", "16", "17", "19"), 9),
    ("63", ("917", "918", "905", "927"), 10),
    ("65", ("81", "91", "87", "96"), 8),
    ("82", ("10",), 10),
    ("886", ("912", "921", "933", "955"), 9),
    ("95", ("9",), 10),
)

BANK_CODES = (
    "VCB ICB BIDV VBA TCB MB ACB VPB TPB STB SHB HDB VIB MSB OCB SEAB EIB LPB CAKE TIMO"
).split()
# Phone-as-account is common at these banks.
PHONE_ACCOUNT_BANKS = ("MB", "TPB", "VPB", "TCB", "CAKE", "TIMO", "ACB")

SCAM_BRANDS = (
    "vietcombank vcb mbbank techcombank vietinbank bidv agribank acb tpbank vpbank sacombank "
    "shopee lazada tiki tiktokshop momo zalopay vnpay viettelpay evn vneid dichvucong "
    "bocongan congan thue hoanthue bhxh viettel vinaphone mobifone ghtk ghn vnpost "
    "binance okx mexc bybit huobi vang forex chungkhoan fxpro"
).split()
SCAM_ACTIONS = (
    "xacthuc hotro cskh uudai khuyenmai nhanqua tructuyen capnhat dangnhap hoantien "
    "vaynhanh tuyendung congtacvien dautu loinhuan baomat kichhoat quatang tichdiem "
    "online login secure verify support bonus vip app"
).split()
SCAM_SUFFIXES = (
    "com com com net vn com.vn net.vn xyz top online site info cc shop live club vip asia "
    "icu buzz store org"
).split()
HOSTING_SUFFIXES = (
    "github.io web.app firebaseapp.com pages.dev netlify.app vercel.app blogspot.com "
    "wixsite.com glitch.me herokuapp.com"
).split()
URL_PATHS = (
    "/login /Login /dang-nhap /dangnhap.html /xac-thuc /xac-thuc?id=A8F3 /khuyen-mai /nhan-qua "
    "/verify/account /app /download /cskh /hoan-tien?ma=KM2024 /index.php?route=login "
    "/vneid/cap-nhat /tai-app /register?ref=vip88 /event/tri-an /check /kyc /user/signin "
    "/home /dang-ky /nap-tien /rut-tien /order?code=XK92"
).split()
SHORTENERS = ("bit.ly", "tinyurl.com", "cutt.ly", "rb.gy", "is.gd", "t.ly", "shorturl.at", "s.id")
MAIL_HOSTS = (
    "gmail.com",
    "gmail.com",
    "gmail.com",
    "yahoo.com",
    "outlook.com",
    "hotmail.com",
    "proton.me",
    "yandex.com",
)
IP_FIRST_OCTETS = (
    14,
    27,
    42,
    45,
    103,
    103,
    113,
    115,
    116,
    117,
    171,
    185,
    194,
    203,
    5,
    31,
    37,
    46,
    62,
    77,
    80,
    91,
    146,
    149,
    154,
    159,
    162,
    167,
    176,
    188,
    193,
    212,
)
SYLLABLES = (
    "an anh bao binh chi cuong dung dat giang ha hai hanh hieu hoa hoang hung huong khanh "
    "khoa lan linh long mai minh nam ngoc nhung phong phuong quang quynh son tam thanh thao "
    "thu trang trung tuan tuyet van viet vy xuan yen"
).split()
HANDLE_WORDS = (
    "hotro cskh admin support official shop store invest trader expert coach daily boss "
    "vip kiemtien viec lam mentor crypto forex gold lucky love baby team group news"
).split()
LETTERS = "abcdefghijklmnopqrstuvwxyz"
ALNUM = LETTERS + LETTERS.upper() + "0123456789"
HEX = "0123456789abcdef"
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Phone:
    e164: str
    country: str  # calling code without "+"
    national: str  # national significant number, digits only


@dataclass(frozen=True, slots=True)
class BankAccount:
    bank: str
    digits: str


@dataclass(frozen=True, slots=True)
class Host:
    name: str  # lower-case host as the ring registered it
    domain: str  # registrable domain


@dataclass(frozen=True, slots=True)
class Wallet:
    chain: str  # btc, eth or trx
    address: str  # as written

    @property
    def canonical(self) -> str:
        address = self.address
        if self.chain == "eth" or address.startswith("bc1"):
            address = address.lower()
        return f"{self.chain}:{address}"


@dataclass(frozen=True, slots=True)
class Handle:
    platform: str
    handle: str  # as written


def choose(rng: random.Random, seq: Sequence[T]) -> T:
    """`rng.choice` without its overhead (the generator calls it millions of times)."""
    return seq[int(rng.random() * len(seq))]


def number(rng: random.Random, low: int, high: int) -> int:
    """`rng.randint` without its overhead."""
    return low + int(rng.random() * (high - low + 1))


def digits(rng: random.Random, count: int) -> str:
    return f"{int(rng.random() * 10**count):0{count}d}"


def vn_mobile(rng: random.Random) -> Phone:
    national = choose(rng, VN_MOBILE_PREFIXES) + digits(rng, 7)
    return Phone("+84" + national, "84", national)


def vn_landline(rng: random.Random) -> Phone:
    prefix = choose(rng, VN_LANDLINE_PREFIXES)
    national = prefix + "3" + digits(rng, 9 - len(prefix))
    parsed = phonenumbers.parse("+84" + national)
    if not phonenumbers.is_valid_number(parsed):
        return vn_mobile(rng)
    return Phone("+84" + national, "84", national)


def foreign_phone(rng: random.Random) -> Phone:
    for _ in range(20):
        country, leads, length = choose(rng, FOREIGN_PHONE_PLANS)
        lead = choose(rng, leads)
        national = lead + digits(rng, length - len(lead))
        if phonenumbers.is_valid_number(phonenumbers.parse(f"+{country}{national}")):
            return Phone(f"+{country}{national}", country, national)
    return vn_mobile(rng)


def bank_account(rng: random.Random) -> BankAccount:
    if rng.random() < 0.15:
        bank = choose(rng, PHONE_ACCOUNT_BANKS)
        return BankAccount(bank, "0" + vn_mobile(rng).national)
    length = choose(rng, (9, 10, 10, 11, 12, 13, 13, 14, 14))
    return BankAccount(choose(rng, BANK_CODES), choose(rng, "0123456789") + digits(rng, length - 1))


def scam_host(rng: random.Random) -> Host:
    brand, action = choose(rng, SCAM_BRANDS), choose(rng, SCAM_ACTIONS)
    joiner = choose(rng, ("-", "", "-", "."))
    name = f"{brand}{joiner}{action}" if rng.random() < 0.5 else f"{action}{joiner}{brand}"
    if rng.random() < 0.3:
        name += str(number(rng, 1, 99))
    labels = name.split(".")
    if rng.random() < 0.12:
        registrable = f"{labels[-1]}.{choose(rng, HOSTING_SUFFIXES)}"
    else:
        registrable = f"{labels[-1]}.{choose(rng, SCAM_SUFFIXES)}"
    host = ".".join([*labels[:-1], registrable])
    return Host(host, registrable)


def idn_host(rng: random.Random) -> tuple[str, Host]:
    """A look-alike host with a diacritic, as written and in IDNA form."""
    word = choose(rng, ("vietcombánk", "shopeé", "tìkì", "momó", "dịchvụcông", "bộcôngan"))
    suffix = choose(rng, ("com", "vn", "net", "xyz"))
    unicode_host = f"{word}-{choose(rng, SCAM_ACTIONS)}.{suffix}"
    ascii_host = unicode_host.encode("idna").decode("ascii")
    return unicode_host, Host(ascii_host, ascii_host)


def public_ip(rng: random.Random) -> str:
    return ".".join(
        str(part)
        for part in (
            choose(rng, IP_FIRST_OCTETS),
            number(rng, 1, 254),
            number(rng, 0, 254),
            number(rng, 1, 254),
        )
    )


def public_ipv6(rng: random.Random) -> str:
    groups = [
        "2a0b",
        f"{number(rng, 0x1000, 0xFFFF):x}",
        "0",
        "0",
        "0",
        f"{number(rng, 0, 0xFFFF):x}",
        "0",
        f"{number(rng, 1, 0xFFFF):x}",
    ]
    return str(ipaddress.IPv6Address(":".join(groups)))


def wallet(rng: random.Random, chain: str | None = None) -> Wallet:
    chain = chain or choose(rng, ("trx", "trx", "trx", "eth", "eth", "btc"))
    program = rng.randbytes(20)
    if chain == "eth":
        return Wallet("eth", "0x" + program.hex())
    if chain == "trx":
        return Wallet("trx", base58.b58encode_check(b"\x41" + program).decode("ascii"))
    if rng.random() < 0.6:
        segwit = bech32.encode("bc", 0, list(program))
        if segwit is not None:  # always, for a 20-byte program
            return Wallet("btc", segwit)
    version = choose(rng, (b"\x00", b"\x05"))
    return Wallet("btc", base58.b58encode_check(version + program).decode("ascii"))


def file_hash(rng: random.Random) -> tuple[str, str]:
    algo = choose(rng, ("md5", "sha1", "sha256", "sha256"))
    length = {"md5": 32, "sha1": 40, "sha256": 64}[algo]
    return algo, "".join(rng.choices(HEX, k=length))


def person_slug(rng: random.Random, joiner: str) -> str:
    return joiner.join(rng.choices(SYLLABLES, k=choose(rng, (2, 3))))


def handle(rng: random.Random, platform: str) -> Handle:
    if platform == "zalo":
        return Handle("zalo", "0" + vn_mobile(rng).national)
    if platform == "facebook" and rng.random() < 0.2:
        return Handle("facebook", "1000" + digits(rng, 11))
    word = choose(rng, HANDLE_WORDS)
    if platform == "facebook":
        tail = choose(rng, ("", ".9x", ".official", str(number(rng, 1, 99))))
        name = person_slug(rng, ".") + tail
    elif platform == "x":
        name = person_slug(rng, "_")[:10] + str(number(rng, 1, 99))
    else:
        joiner = "_" if platform in ("telegram", "x") else choose(rng, ("_", ".", ""))
        name = joiner.join((word, choose(rng, SYLLABLES), str(number(rng, 1, 999))))
    if rng.random() < 0.3:
        name = name.title() if platform != "telegram" else name.replace(word, word.upper(), 1)
    return Handle(platform, name)


def email_address(rng: random.Random, hosts: tuple[str, ...]) -> str:
    local = choose(
        rng,
        (
            person_slug(rng, ".") + str(number(rng, 1, 99)),
            f"{choose(rng, HANDLE_WORDS)}.{choose(rng, SCAM_BRANDS)}",
            f"{choose(rng, SCAM_BRANDS)}{choose(rng, ('', '.', '-'))}{choose(rng, HANDLE_WORDS)}",
        ),
    )
    return f"{local}@{choose(rng, hosts)}"


def short_code(rng: random.Random) -> str:
    return "".join(rng.choices(ALNUM, k=number(rng, 4, 8)))
