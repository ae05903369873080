"""Every example and every hard-case rule of /work/shared/spec/indicators.md, as a table.

Each row is a text and the complete set of (kind, value, allowlisted) that `extract` must give.
A rule has at least one row that must yield an indicator and one that must not.
"""

from __future__ import annotations

import pytest

from tipline.indicators import extract

Triple = tuple[str, str, bool]
Row = tuple[str, set[Triple]]


def phone(value: str) -> Triple:
    return ("phone", value, False)


def account(value: str) -> Triple:
    return ("bank_account", value, False)


def url(value: str, allowlisted: bool = False) -> Triple:
    return ("url", value, allowlisted)


def domain(value: str, allowlisted: bool = False) -> Triple:
    return ("domain", value, allowlisted)


def other(kind: str, value: str) -> Triple:
    return (kind, value, False)


def found(text: str) -> set[Triple]:
    return {(i.kind.value, i.value, i.allowlisted) for i in extract(text)}


def assert_yields(text: str, want: set[Triple]) -> None:
    got = found(text)
    missing = "".join(f"\n  missing:    {t}" for t in sorted(want - got))
    unexpected = "".join(f"\n  unexpected: {t}" for t in sorted(got - want))
    assert got == want, f"text: {text!r}{missing}{unexpected}"


def rows(table: dict[str, Row]) -> list[object]:
    return [pytest.param(text, want, id=name) for name, (text, want) in table.items()]


# The "examples" column of the kinds table, one row per example.
KIND_EXAMPLES: dict[str, Row] = {
    "phone-plain": ("0912345678", {phone("+84912345678")}),
    "phone-spaces": ("0912 345 678", {phone("+84912345678")}),
    "phone-dots": ("0912.345.678", {phone("+84912345678")}),
    "phone-plus84-dashes": ("+84 912-345-678", {phone("+84912345678")}),
    "phone-paren-plus84": ("(+84) 912345678", {phone("+84912345678")}),
    "phone-84-no-plus": ("84912345678", {phone("+84912345678")}),
    "phone-cambodia": ("+855 12 345 678", {phone("+85512345678")}),
    "bank-stk-vietcombank": ("STK 0123456789 Vietcombank", {account("VCB:0123456789")}),
    "bank-so-tai-khoan-techcombank": (
        "số tài khoản: 1903 6627 1880 18 (Techcombank)",
        {account("TCB:19036627188018")},
    ),
    "url-defanged": (
        "hxxps://Vietcombank-XacThuc[.]com/login#a",
        {url("https://vietcombank-xacthuc.com/login"), domain("vietcombank-xacthuc.com")},
    ),
    "url-short-link": ("bit.ly/3xYz", {url("http://bit.ly/3xYz"), domain("bit.ly", True)}),
    "domain-of-url": (
        "https://ib.vietcombank-xacthuc.com/x",
        {url("https://ib.vietcombank-xacthuc.com/x"), domain("vietcombank-xacthuc.com")},
    ),
    "domain-private-suffix": ("abc.github.io", {domain("abc.github.io")}),
    "email": ("Hotro.CSKH@Gmail.com", {other("email", "hotro.cskh@gmail.com")}),
    "ip-defanged": ("103.97.125[.]12", {other("ip", "103.97.125.12")}),
    "crypto-trx": (
        "ví USDT TRC20: TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t",
        {other("crypto", "trx:TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t")},
    ),
    "crypto-btc-base58-as-written": (
        "BTC: 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",
        {other("crypto", "btc:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa")},
    ),
    "crypto-btc-bech32-lowered": (
        "BC1QAR0SRRR7XFKVY5L643LYDNW9RE59GTZZWF5MDQ",
        {other("crypto", "btc:bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq")},
    ),
    "crypto-eth-lowered": (
        "ETH 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        {other("crypto", "eth:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed")},
    ),
    "hash-sha256": (
        "SHA256: 9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08",
        {other("hash", "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")},
    ),
    "hash-sha1": (
        "SHA1 DA39A3EE5E6B4B0D3255BFEF95601890AFD80709",
        {other("hash", "sha1:da39a3ee5e6b4b0d3255bfef95601890afd80709")},
    ),
    "hash-md5": (
        "md5 d41d8cd98f00b204e9800998ecf8427e",
        {other("hash", "md5:d41d8cd98f00b204e9800998ecf8427e")},
    ),
    "hash-0x40-is-eth-not-sha1": (
        "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        {other("crypto", "eth:0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359")},
    ),
    "social-facebook-url": (
        "facebook.com/Nguyen.Van.A",
        {
            other("social", "facebook:nguyen.van.a"),
            url("http://facebook.com/Nguyen.Van.A"),
            domain("facebook.com", True),
        },
    ),
    "social-telegram-url": (
        "t.me/hotro_vcb",
        {other("social", "telegram:hotro_vcb"), url("http://t.me/hotro_vcb"), domain("t.me", True)},
    ),
    "social-telegram-mention": ("Telegram @HoTro_VCB", {other("social", "telegram:hotro_vcb")}),
    "social-tiktok-url": (
        "tiktok.com/@abc",
        {other("social", "tiktok:abc"), url("http://tiktok.com/@abc"), domain("tiktok.com", True)},
    ),
    "social-zalo-url": (
        "zalo.me/0912345678",
        {
            other("social", "zalo:0912345678"),
            url("http://zalo.me/0912345678"),
            domain("zalo.me", True),
        },
    ),
}

# One row per bank and per way of writing it in the bank table.
BANK_NAMES: dict[str, str] = {
    "Vietcombank": "VCB",
    "VCB": "VCB",
    "Ngoại thương": "VCB",
    "Ngoai thuong": "VCB",
    "VietinBank": "ICB",
    "Vietinbank": "ICB",
    "CTG": "ICB",
    "Công thương": "ICB",
    "Cong thuong": "ICB",
    "BIDV": "BIDV",
    "Đầu tư và Phát triển": "BIDV",
    "Dau tu va Phat trien": "BIDV",
    "Agribank": "VBA",
    "Agri": "VBA",
    "Nông nghiệp": "VBA",
    "Nong nghiep": "VBA",
    "Techcombank": "TCB",
    "TCB": "TCB",
    "Techcom": "TCB",
    "MBBank": "MB",
    "MB": "MB",
    "MB Bank": "MB",
    "Quân đội": "MB",
    "Quan doi": "MB",
    "ACB": "ACB",
    "Á Châu": "ACB",
    "A Chau": "ACB",
    "VPBank": "VPB",
    "VP Bank": "VPB",
    "TPBank": "TPB",
    "TP Bank": "TPB",
    "Tiên Phong": "TPB",
    "Tien Phong": "TPB",
    "Sacombank": "STB",
    "Sacom": "STB",
    "SHB": "SHB",
    "HDBank": "HDB",
    "HD Bank": "HDB",
    "VIB": "VIB",
    "MSB": "MSB",
    "Maritime Bank": "MSB",
    "Hàng Hải": "MSB",
    "Hang Hai": "MSB",
    "OCB": "OCB",
    "Phương Đông": "OCB",
    "Phuong Dong": "OCB",
    "SeABank": "SEAB",
    "SeA Bank": "SEAB",
    "Eximbank": "EIB",
    "Exim": "EIB",
    "LPBank": "LPB",
    "LienVietPostBank": "LPB",
    "Lộc Phát": "LPB",
    "Loc Phat": "LPB",
    "CAKE by VPBank": "CAKE",
    "Cake": "CAKE",
    "Timo": "TIMO",
    "vietcombank": "VCB",
    "VIETINBANK": "ICB",
    "mbbank": "MB",
    "sacombank": "STB",
}

# Each bank's full Vietnamese name and its parts, with and without diacritics (issue 12): every
# row must name the bank both after and before the number.
BANK_FULL_NAMES: dict[str, str] = {
    "Ngân hàng TMCP Ngoại thương Việt Nam": "VCB",
    "Ngan hang TMCP Ngoai thuong Viet Nam": "VCB",
    "Ngoại Thương": "VCB",
    "Vietcom": "VCB",
    "Ngân hàng TMCP Công Thương Việt Nam": "ICB",
    "Cong Thuong Viet Nam": "ICB",
    "Vietin": "ICB",
    "Ngân hàng TMCP Đầu tư và Phát triển Việt Nam": "BIDV",
    "Đầu tư và Phát triển": "BIDV",
    "Dau tu va Phat trien": "BIDV",
    "Đầu tư & Phát triển": "BIDV",
    "Ngân hàng Nông nghiệp và Phát triển Nông thôn Việt Nam": "VBA",
    "Nong nghiep va Phat trien Nong thon": "VBA",
    "Nông nghiệp": "VBA",
    "NHNo&PTNT": "VBA",
    "Ngân hàng TMCP Kỹ Thương Việt Nam": "TCB",
    "Kỹ Thương": "TCB",
    "Ky Thuong": "TCB",
    "Ngân hàng TMCP Quân đội": "MB",
    "Quân đội": "MB",
    "Quan doi": "MB",
    "Ngân hàng TMCP Á Châu": "ACB",
    "Á Châu": "ACB",
    "A Chau": "ACB",
    "Ngân hàng TMCP Việt Nam Thịnh Vượng": "VPB",
    "ngan hang Viet Nam Thinh Vuong": "VPB",
    "NH Thịnh Vượng": "VPB",
    "Ngân hàng TMCP Tiên Phong": "TPB",
    "Tien Phong": "TPB",
    "Ngân hàng TMCP Sài Gòn Thương Tín": "STB",
    "Sài Gòn Thương Tín": "STB",
    "Sai Gon Thuong Tin": "STB",
    "Ngân hàng TMCP Sài Gòn - Hà Nội": "SHB",
    "ngan hang Sai Gon Ha Noi": "SHB",
    "Ngân hàng TMCP Phát triển Thành phố Hồ Chí Minh": "HDB",
    "NH Phát triển TP.HCM": "HDB",
    "Ngân hàng TMCP Quốc tế Việt Nam": "VIB",
    "ngan hang Quoc te": "VIB",
    "Ngân hàng TMCP Hàng Hải Việt Nam": "MSB",
    "Hang Hai": "MSB",
    "Ngân hàng TMCP Phương Đông": "OCB",
    "Phuong Dong": "OCB",
    "Ngân hàng TMCP Đông Nam Á": "SEAB",
    "NH Dong Nam A": "SEAB",
    "Ngân hàng TMCP Xuất Nhập khẩu Việt Nam": "EIB",
    "ngan hang Xuat Nhap Khau": "EIB",
    "Ngân hàng TMCP Lộc Phát Việt Nam": "LPB",
    "Bưu điện Liên Việt": "LPB",
    "Lien Viet": "LPB",
}

# Everyday phrases that are part of a bank's Vietnamese name name no bank on their own.
NOT_BANK_NAMES = ("Quốc tế", "Đông Nam Á", "Sài Gòn - Hà Nội", "Thịnh Vượng", "Xuất nhập khẩu")

RULES: dict[str, Row] = {
    # Defanged forms are undone before anything else.
    "defang-hxxp": ("hxxp://lua-dao.com/a", {url("http://lua-dao.com/a"), domain("lua-dao.com")}),
    "defang-hxxps-colon": (
        "hxxps[:]//lua-dao.com/a",
        {url("https://lua-dao.com/a"), domain("lua-dao.com")},
    ),
    "defang-bracket-dot": ("lua-dao[.]com", {domain("lua-dao.com")}),
    "defang-paren-dot": ("lua-dao(.)com", {domain("lua-dao.com")}),
    "defang-bracket-word-dot": ("lua-dao[dot]com", {domain("lua-dao.com")}),
    "defang-paren-word-dot": ("lua-dao(dot)com", {domain("lua-dao.com")}),
    "defang-spaced-dot": ("lua-dao dot com", {domain("lua-dao.com")}),
    "defang-bracket-at": ("hotro[@]gmail.com", {other("email", "hotro@gmail.com")}),
    "defang-bracket-word-at": ("hotro[at]gmail[.]com", {other("email", "hotro@gmail.com")}),
    "defang-dot-in-prose-is-not": ("I saw a red dot on the screen.", set()),
    # A URL needs a scheme, or www., or a host with a public suffix followed by a path.
    "url-scheme": ("http://lua-dao.com/a", {url("http://lua-dao.com/a"), domain("lua-dao.com")}),
    "url-www": ("www.lua-dao.com", {url("http://www.lua-dao.com/"), domain("lua-dao.com")}),
    "url-host-with-path": (
        "shopee-uudai.vn/qua",
        {url("http://shopee-uudai.vn/qua"), domain("shopee-uudai.vn")},
    ),
    "url-bare-host-is-domain-only": ("lua-dao.com", {domain("lua-dao.com")}),
    "url-host-with-path-glued-to-label": (
        "link:bit.ly/3xYz",
        {url("http://bit.ly/3xYz"), domain("bit.ly", True)},
    ),
    "url-ip-host-yields-ip": (
        "http://103.97.125.12/login",
        {url("http://103.97.125.12/login"), other("ip", "103.97.125.12")},
    ),
    # Canonical URL.
    "url-lower-scheme-host-keep-path": (
        "HTTPS://Lua-Dao.COM/Login?Next=/Home",
        {url("https://lua-dao.com/Login?Next=/Home"), domain("lua-dao.com")},
    ),
    "url-empty-path": ("https://lua-dao.com", {url("https://lua-dao.com/"), domain("lua-dao.com")}),
    "url-default-port-dropped": (
        "https://lua-dao.com:443/a",
        {url("https://lua-dao.com/a"), domain("lua-dao.com")},
    ),
    "url-other-port-kept": (
        "http://lua-dao.com:8080/a",
        {url("http://lua-dao.com:8080/a"), domain("lua-dao.com")},
    ),
    "url-fragment-dropped": (
        "https://lua-dao.com/a?b=1#c",
        {url("https://lua-dao.com/a?b=1"), domain("lua-dao.com")},
    ),
    "url-host-trailing-dot-dropped": (
        "https://lua-dao.com./a",
        {url("https://lua-dao.com/a"), domain("lua-dao.com")},
    ),
    "url-idn": (
        "https://vietcombank-ưuđãi.com/x",
        {
            url("https://xn--vietcombank-ui-2hb94en8f.com/x"),
            domain("xn--vietcombank-ui-2hb94en8f.com"),
        },
    ),
    # Bare host names.
    "domain-bare": ("vietcombank-xacthuc.com", {domain("vietcombank-xacthuc.com")}),
    "domain-bare-vn": ("shopee-uudai.vn", {domain("shopee-uudai.vn")}),
    "domain-subdomain-registrable": ("ib.lua-dao.com.vn", {domain("lua-dao.com.vn")}),
    "domain-not-file-txt": ("file.txt", set()),
    "domain-not-file-pdf": ("Em gửi file hopdong.pdf rồi", set()),
    "domain-not-common-file-name": ("đọc README.md trước", set()),
    "domain-not-vv": ("nhà, xe, v.v.", set()),
    "domain-not-tphcm": ("Em ở Tp.HCM", set()),
    # Phones.
    "phone-read-as-vietnamese": ("gọi 0987654321", {phone("+84987654321")}),
    "phone-invalid-not-extracted": ("gọi 0912 345 67", set()),
    "phone-emergency-113": ("gọi 113 ngay", set()),
    "phone-emergency-111": ("tổng đài 111", set()),
    "phone-emergency-115": ("cấp cứu 115", set()),
    "phone-service-1900": ("tổng đài 1900 545413", set()),
    "phone-service-1900-joined": ("tổng đài 1900545413", set()),
    "phone-service-1800": ("gọi 1800 1091 miễn phí", set()),
    "phone-masked": ("số 0912xxx678 gọi em", set()),
    "phone-in-words": ("không chín một hai ba bốn năm sáu bảy tám", set()),
    "phone-foreign-thailand": ("+66 81 234 5678", {phone("+66812345678")}),
    "phone-foreign-china": ("+86 138 0013 8000", {phone("+8613800138000")}),
    "phone-foreign-us": ("+1 650 253 0000", {phone("+16502530000")}),
    "phone-victims-own-number-too": (
        "số của em là 0934567890, nó gọi từ 0987654321",
        {phone("+84934567890"), phone("+84987654321")},
    ),
    "phone-repeated-once": ("0912345678 ... 0912 345 678", {phone("+84912345678")}),
    "phone-landline-area-code-in-brackets": ("Tel: (028) 3825 1234", {phone("+842838251234")}),
    "phone-us-area-code-in-brackets": ("+1 (650) 253-0000", {phone("+16502530000")}),
    "phone-two-joined-by-slash": (
        "0912345611/0987654322",
        {phone("+84912345611"), phone("+84987654322")},
    ),
    # Bank accounts: each trigger, phone-as-account, no bank named.
    "account-stk": ("STK 0123456789", {account("UNKNOWN:0123456789")}),
    "account-so-tai-khoan": ("số tài khoản 0123456789", {account("UNKNOWN:0123456789")}),
    "account-tai-khoan": ("tài khoản 0123456789", {account("UNKNOWN:0123456789")}),
    "account-tk": ("TK 0123456789", {account("UNKNOWN:0123456789")}),
    "account-ck-vao": ("CK vào 0123456789", {account("UNKNOWN:0123456789")}),
    "account-chuyen-khoan-vao": ("chuyển khoản vào 0123456789", {account("UNKNOWN:0123456789")}),
    "account-english": ("account 0123456789", {account("UNKNOWN:0123456789")}),
    "account-acct": ("acct 0123456789", {account("UNKNOWN:0123456789")}),
    "account-a-c": ("a/c 0123456789", {account("UNKNOWN:0123456789")}),
    "account-bank-name-before": ("Vietcombank 0123456789", {account("VCB:0123456789")}),
    "account-bank-name-after": ("0123456789 Vietcombank", {account("VCB:0123456789")}),
    "account-bank-name-joined-by-hyphen": ("ACB-0123456789", {account("ACB:0123456789")}),
    "account-phone-as-account": ("STK 0912345678 MB", {account("MB:0912345678")}),
    "account-phone-beside-bank": ("MB 0912345678", {account("MB:0912345678")}),
    "account-bank-after-ngan-hang": (
        "STK 0123456789 ngân hàng Vietcombank",
        {account("VCB:0123456789")},
    ),
    "account-bank-in-another-sentence-is-not-beside": (
        "Số 0912345678 gọi em hôm qua. Nó nói là nhân viên Vietcombank.",
        {phone("+84912345678")},
    ),
    "account-no-trigger-is-phone": ("gọi 0912345678", {phone("+84912345678")}),
    "account-no-trigger-no-phone": ("mã đơn 0123456789", set()),
    # Context belongs to the digits it introduces (issue 12).
    "context-phone-then-account-sentence": (
        "Số của nó 0901.234.567. CK vào tài khoản ACB số 12345678",
        {phone("+84901234567"), account("ACB:12345678")},
    ),
    "context-phone-then-account-clause": (
        "Số của nó 0901.234.567 CK vào tài khoản ACB số 12345678",
        {phone("+84901234567"), account("ACB:12345678")},
    ),
    "context-phone-then-account-no-diacritics": (
        "so cua no 0901234567. ck vao tk Vietcombank 0123456789",
        {phone("+84901234567"), account("VCB:0123456789")},
    ),
    "context-account-then-phone-sentence": (
        "CK vào TK Vietcombank. Số của nó 0901234567",
        {phone("+84901234567")},
    ),
    "context-transfer-then-phone-sentence": (
        "Em đã CK. Số của nó 0901234567",
        {phone("+84901234567")},
    ),
    "context-acct-no-abbreviation-is-no-sentence-end": (
        "sent to acct no. 0364440718 today",
        {account("UNKNOWN:0364440718")},
    ),
    "context-bank-after-account-still-beside": (
        "STK 0123456789 Vietcombank, 0987654321 ACB",
        {account("VCB:0123456789"), account("ACB:0987654321")},
    ),
    # A bank named before the number by its Vietnamese name.
    "bank-vn-name-before": ("Kỹ Thương 19035566778801", {account("TCB:19035566778801")}),
    "bank-vn-name-before-with-tk": (
        "chuyển vào TK Sài Gòn Thương Tín số 0123456789",
        {account("STB:0123456789")},
    ),
    "bank-vn-name-alone-is-no-bank": (
        "xe khách Sài Gòn - Hà Nội 0912345678",
        {phone("+84912345678")},
    ),
    # Form-style lines: the bank line names the account of its block.
    "form-bank-on-next-line": (
        "Số TK: 1903 5566 7788 01\nNgân hàng: Techcombank",
        {account("TCB:19035566778801")},
    ),
    "form-bank-two-lines-below": (
        "STK: 0123456789\nChủ TK: NGUYEN VAN A\nNH: Vietcombank - CN Hà Nội",
        {account("VCB:0123456789")},
    ),
    "form-bank-on-line-above": (
        "Ngân hàng: ACB\nChủ tài khoản: TRAN THI B\nSố tài khoản: 0123456789",
        {account("ACB:0123456789")},
    ),
    "form-bank-of-another-block-is-not": (
        "STK: 0123456789\n\nNgân hàng: Techcombank",
        {account("UNKNOWN:0123456789")},
    ),
    "form-each-account-its-bank": (
        "STK: 0123456789\nNgân hàng: ACB\nSTK: 9876543210\nNgân hàng: MB",
        {account("ACB:0123456789"), account("MB:9876543210")},
    ),
    "form-phone-line-is-no-account": (
        "SĐT: 0912345678\nNgân hàng: Techcombank",
        {phone("+84912345678")},
    ),
    # A 1900/1800 service line is never an account, even right after a bank's name.
    "service-line-after-bank-name": ("hotline Techcombank 1800 588 822", set()),
    "service-line-after-stk": ("STK 1900 545 413 Vietcombank", set()),
    "service-line-8-digits-after-bank": ("Vietcombank 1900 5454", set()),
    # Masked values never yield indicators.
    "mask-ip": ("IP 45.xxx.xxx.9", set()),
    "mask-ip-last-octets": ("IP 45.117.xxx.xxx", set()),
    "mask-phone-x": ("số 0912xxx678", set()),
    "mask-phone-stars": ("số 09*****678", set()),
    "mask-phone-spaced-stars": ("số 0912 *** 678", set()),
    "mask-account-tail": ("STK 0123 456 xxx Vietcombank", set()),
    "mask-account-stars": ("STK 0123456*** ACB", set()),
    "mask-email": ("mail abc***@gmail.com", set()),
    "mask-email-x-local": ("mail xxx@gmail.com", set()),
    "mask-email-stars-inside": ("mail a***b@gmail.com", set()),
    "mask-domain": ("trang xxx.vn", set()),
    "mask-domain-stars": ("trang shop-***.com", set()),
    "mask-url": ("vào https://xxx.vn/login", set()),
    "mask-redacted": ("số [redacted], STK [redacted] Vietcombank", set()),
    "mask-redacted-beside-number": ("STK 0123456 [redacted]", set()),
    "mask-handle": ("IG @xxx", set()),
    "mask-emphasis-is-not": ("gọi *0912345678* ngay", {phone("+84912345678")}),
    "mask-bullet-is-not": (
        "* 0912345678\n* 0987654321",
        {phone("+84912345678"), phone("+84987654321")},
    ),
    "mask-x-com-is-a-name": ("x.com", {domain("x.com", True)}),
    # A handle written with its platform (issue 13).
    "social-nick-instagram": (
        "nick Instagram hoang.anh.2k9",
        {other("social", "instagram:hoang.anh.2k9")},
    ),
    "social-ig-mention": ("IG @hoang.anh.2k9", {other("social", "instagram:hoang.anh.2k9")}),
    "social-tele-mention": ("tele @HoTro_VCB", {other("social", "telegram:hotro_vcb")}),
    "social-face-handle": ("face hoang.anh.98", {other("social", "facebook:hoang.anh.98")}),
    "social-fb-colon": ("fb: Nguyen.Van.A", {other("social", "facebook:nguyen.van.a")}),
    "social-tiktok-id": ("tiktok id: be_bong_2k9", {other("social", "tiktok:be_bong_2k9")}),
    "social-zalo-handle": ("zalo: ngoc_anh99", {other("social", "zalo:ngoc_anh99")}),
    "social-labelled-plain-word": (
        "IG username: linhxinh",
        {other("social", "instagram:linhxinh")},
    ),
    "social-plain-word-is-not": ("nhắn qua zalo roi no chan em", set()),
    "social-display-name-is-not": ("face Hoàng Anh", set()),
    "social-sentence-joined-is-not": ("nhan qua zalo roi.Sau do no chan", set()),
    "social-zalo-number-stays-phone": ("zalo 0912345678", {phone("+84912345678")}),
    "social-telegram-handle-has-no-dot": ("tele abc.def", set()),
    # Amounts, dates, times, citizen IDs, OTP codes.
    "never-amount-dots": ("chuyển 5.000.000đ", set()),
    "never-amount-tr": ("mất 50tr rồi", set()),
    "never-amount-commas": ("lost 5,000,000 VND", set()),
    "never-date": ("ngày 12/03/2025", set()),
    "never-date-iso": ("on 2025-03-12", set()),
    "never-time": ("lúc 14:30", set()),
    "never-cccd": ("CCCD 001203012345", set()),
    "never-otp": ("mã OTP 482913", set()),
    # Social URLs yield url and domain too; profile.php; zalo digits.
    "social-profile-php": (
        "facebook.com/profile.php?id=1000123",
        {
            other("social", "facebook:1000123"),
            url("http://facebook.com/profile.php?id=1000123"),
            domain("facebook.com", True),
        },
    ),
    "social-instagram": (
        "https://www.instagram.com/Linh.Model99",
        {
            other("social", "instagram:linh.model99"),
            url("https://www.instagram.com/Linh.Model99"),
            domain("instagram.com", True),
        },
    ),
    "social-x": (
        "https://x.com/CryptoVN",
        {other("social", "x:cryptovn"), url("https://x.com/CryptoVN"), domain("x.com", True)},
    ),
    "social-twitter-is-x": (
        "https://twitter.com/CryptoVN",
        {
            other("social", "x:cryptovn"),
            url("https://twitter.com/CryptoVN"),
            domain("twitter.com", True),
        },
    ),
    "social-youtube": (
        "https://www.youtube.com/@KenhLua",
        {
            other("social", "youtube:kenhlua"),
            url("https://www.youtube.com/@KenhLua"),
            domain("youtube.com", True),
        },
    ),
    "social-zalo-digits-not-phone": (
        "kết bạn zalo.me/0912345678 nhé",
        {
            other("social", "zalo:0912345678"),
            url("http://zalo.me/0912345678"),
            domain("zalo.me", True),
        },
    ),
    "social-zalo-digits-and-phone-elsewhere": (
        "zalo.me/0912345678 hoặc gọi 0912345678",
        {
            other("social", "zalo:0912345678"),
            url("http://zalo.me/0912345678"),
            domain("zalo.me", True),
            phone("+84912345678"),
        },
    ),
    "social-non-profile-url-is-not-social": (
        "https://www.facebook.com/help",
        {url("https://www.facebook.com/help", True), domain("facebook.com", True)},
    ),
    # Trailing punctuation and closing quotes are not part of a URL.
    **{
        f"url-trailing-{name}": (
            f"vào https://lua-dao.com/a{mark} nhé",
            {url("https://lua-dao.com/a"), domain("lua-dao.com")},
        )
        for name, mark in [
            ("period", "."),
            ("comma", ","),
            ("paren", ")"),
            ("bang", "!"),
            ("question", "?"),
            ("semicolon", ";"),
            ("colon", ":"),
            ("double-quote", '"'),
            ("curly-single-quote", "\u2019"),
            ("curly-quote", "\u201d"),
        ]
    },
    "url-www-with-path": (
        "www.lua-dao.com/a.",
        {url("http://www.lua-dao.com/a"), domain("lua-dao.com")},
    ),
    "url-in-parentheses": (
        "(xem https://lua-dao.com/a)",
        {url("https://lua-dao.com/a"), domain("lua-dao.com")},
    ),
    # An email yields only the email.
    "email-only": ("mail hotro@lua-dao.com", {other("email", "hotro@lua-dao.com")}),
    # Allowlisted domains and URLs, and the two exceptions.
    "allow-domain-mentioned": ("I searched on facebook.com", {domain("facebook.com", True)}),
    "allow-bank-real-site": (
        "https://www.vietcombank.com.vn/",
        {url("https://www.vietcombank.com.vn/", True), domain("vietcombank.com.vn", True)},
    ),
    "allow-subdomain-of-real-site": (
        "https://ib.vietcombank.com.vn/login",
        {url("https://ib.vietcombank.com.vn/login", True), domain("vietcombank.com.vn", True)},
    ),
    "allow-government": ("chinhphu.vn", {domain("chinhphu.vn", True)}),
    "allow-webmail-domain": ("vào gmail.com", {domain("gmail.com", True)}),
    "allow-not-lookalike": (
        "https://vietcombank.com.vn.xacthuc.top/a",
        {url("https://vietcombank.com.vn.xacthuc.top/a"), domain("xacthuc.top")},
    ),
    "allow-not-private-suffix-user": ("abc.github.io", {domain("abc.github.io")}),
    "allow-social-url-not": (
        "facebook.com/nguyen.van.a",
        {
            other("social", "facebook:nguyen.van.a"),
            url("http://facebook.com/nguyen.van.a"),
            domain("facebook.com", True),
        },
    ),
    "allow-shortener-url-not": (
        "https://bit.ly/3xYz",
        {url("https://bit.ly/3xYz"), domain("bit.ly", True)},
    ),
    "allow-link-in-bio-url-not": (
        "linktr.ee/abc",
        {url("http://linktr.ee/abc"), domain("linktr.ee", True)},
    ),
}


@pytest.mark.parametrize(("text", "want"), rows(KIND_EXAMPLES))
def test_kind_table_example(text: str, want: set[Triple]) -> None:
    assert_yields(text, want)


@pytest.mark.parametrize(("name", "code"), list(BANK_NAMES.items()))
def test_bank_name_gives_bank_code(name: str, code: str) -> None:
    assert_yields(f"STK 0123456789 {name}", {account(f"{code}:0123456789")})


@pytest.mark.parametrize(("name", "code"), list(BANK_FULL_NAMES.items()))
def test_bank_full_name_after_the_number(name: str, code: str) -> None:
    assert_yields(f"STK 0123456789 {name}", {account(f"{code}:0123456789")})


@pytest.mark.parametrize(("name", "code"), list(BANK_FULL_NAMES.items()))
def test_bank_full_name_before_the_number(name: str, code: str) -> None:
    assert_yields(f"CK vào {name} 0123456789", {account(f"{code}:0123456789")})
    assert_yields(f"{name} số 0123456789", {account(f"{code}:0123456789")})


@pytest.mark.parametrize("name", [*BANK_NAMES, *BANK_FULL_NAMES])
def test_bank_name_before_a_number_with_a_phone_sentence_before(name: str) -> None:
    code = {**BANK_NAMES, **BANK_FULL_NAMES}[name]
    assert_yields(
        f"Số của nó 0901.234.567. CK vào tài khoản {name} số 12345678",
        {phone("+84901234567"), account(f"{code}:12345678")},
    )


@pytest.mark.parametrize("phrase", NOT_BANK_NAMES)
def test_everyday_phrase_of_a_bank_name_is_no_bank(phrase: str) -> None:
    assert_yields(f"{phrase} STK 0123456789", {account("UNKNOWN:0123456789")})
    assert_yields(f"STK 0123456789 ở {phrase}", {account("UNKNOWN:0123456789")})
    assert_yields(f"ngân hàng {phrase} STK 0123456789", {account(_cued_code(phrase))})


def _cued_code(phrase: str) -> str:
    """After "ngân hàng" the phrase names its bank."""
    codes = {"Quốc tế": "VIB", "Đông Nam Á": "SEAB", "Sài Gòn - Hà Nội": "SHB",
             "Thịnh Vượng": "VPB", "Xuất nhập khẩu": "EIB"}  # fmt: skip
    return f"{codes[phrase]}:0123456789"


@pytest.mark.parametrize(("text", "want"), rows(RULES))
def test_hard_case_rule(text: str, want: set[Triple]) -> None:
    assert_yields(text, want)


@pytest.mark.parametrize(
    ("text", "kind", "span"),
    [
        ("Gọi 0912345678 ngay", "phone", (4, 14)),
        ("vào https://lua-dao.com/a. Xong", "url", (4, 25)),
        ("0912345678 rồi 0912 345 678", "phone", (0, 10)),
        ("ip 103.97.125[.]12", "ip", (3, 18)),
    ],
)
def test_span_is_first_occurrence_in_the_original_text(
    text: str, kind: str, span: tuple[int, int]
) -> None:
    spans = [i.span for i in extract(text) if i.kind.value == kind]
    assert spans == [span]
