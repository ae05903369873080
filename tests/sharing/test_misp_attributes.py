"""Each indicator kind as MISP holds it: types, categories and object templates that MISP
itself defines (pymisp's describeTypes.json and misp-objects), and read back to the same value."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pymisp
import pytest

from tipline.sharing.misp_attributes import (
    READ_TYPES,
    TEMPLATES,
    Template,
    from_attribute,
    from_object,
    to_misp,
)

DATA = Path(pymisp.__file__).parent / "data"
DESCRIBE = json.loads((DATA / "describeTypes.json").read_text())["result"]

VALUES = [
    ("url", "https://vietcombank-xacthuc.com/login", "url", None),
    ("domain", "vietcombank-xacthuc.com", "domain", None),
    ("email", "hotro.cskh@gmail.com", "email-src", None),
    ("ip", "103.97.125.12", "ip-dst", None),
    ("ip", "2001:db8::1", "ip-dst", None),
    ("phone", "+84912345678", "phone-number", None),
    ("hash", "md5:" + "a" * 32, "md5", None),
    ("hash", "sha1:" + "b" * 40, "sha1", None),
    ("hash", "sha256:" + "c" * 64, "sha256", None),
    ("crypto", "btc:bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", "btc", None),
    ("crypto", "eth:0x52908400098527886e0f7030069857d2e4169ee7", None, "coin-address"),
    ("crypto", "trx:TA4Y62o6YC2Zsck9rZVGTvqW1AQ7X9zTnj", None, "coin-address"),
    ("bank_account", "VCB:0451000123999", None, "bank-account"),
    ("bank_account", "UNKNOWN:0451000123999", None, "bank-account"),
    ("social", "telegram:hotro_vcb", None, "telegram-account"),
    ("social", "facebook:nguyen.van.a", None, "facebook-account"),
    ("social", "instagram:shop.xinh", None, "instagram-account"),
    ("social", "x:vcb_support", None, "twitter-account"),
    ("social", "zalo:0912345678", None, "user-account"),
    ("social", "tiktok:abc", None, "user-account"),
]


def definition(name: str) -> dict[str, Any]:
    path = DATA / "misp-objects" / "objects" / name / "definition.json"
    return dict(json.loads(path.read_text()))


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t.name)
def test_templates_are_misps_own(template: Template) -> None:
    found = definition(template.name)
    assert (found["uuid"], found["meta-category"]) == (template.uuid, template.meta_category)
    assert found["version"] == template.version


@pytest.mark.parametrize(("kind", "value", "misp_type", "template"), VALUES)
def test_each_kind_goes_as_misp_defines_it_and_comes_back(
    kind: str, value: str, misp_type: str | None, template: str | None
) -> None:
    translation = to_misp(kind, value)
    assert (translation.template.name if translation.template else None) == template
    if template is None:
        (field,) = translation.fields
        assert field.type == misp_type
        assert field.type in DESCRIBE["category_type_mappings"][field.category]
        assert from_attribute(field.type, field.value) == (kind, value)
        return
    relations = definition(template)["attributes"]
    for field in translation.fields:
        assert field.relation in relations
        assert relations[field.relation]["misp-attribute"] == field.type
        assert field.type in DESCRIBE["category_type_mappings"][field.category]
    attributes = [{"object_relation": f.relation, "value": f.value} for f in translation.fields]
    assert from_object(template, attributes) == (kind, value)


def test_values_misp_writes_its_own_way_are_read_as_tipline_keeps_them() -> None:
    assert from_attribute("sha256", " " + "C" * 64) == ("hash", "sha256:" + "c" * 64)
    assert from_attribute("bank-account-nr", "0451000123999") == (
        "bank_account",
        "UNKNOWN:0451000123999",
    )
    assert from_attribute("twitter-id", "VCB_Support") == ("social", "x:vcb_support")
    assert from_attribute("comment", "anything") is None
    telegram = [{"object_relation": "username", "value": "@HoTro_VCB"}]
    assert from_object("telegram-account", telegram) == ("social", "telegram:hotro_vcb")
    eth = [
        {
            "object_relation": "address-crypto",
            "value": "0x52908400098527886E0F7030069857D2E4169EE7",
        },
        {"object_relation": "symbol", "value": "ETH"},
    ]
    assert from_object("coin-address", eth) == (
        "crypto",
        "eth:0x52908400098527886e0f7030069857d2e4169ee7",
    )
    unknown_coin = [{"object_relation": "address-crypto", "value": "D8vFz4p1L37jdg9xpp"}]
    assert from_object("coin-address", unknown_coin) is None
    assert from_object("file", [{"object_relation": "filename", "value": "a.exe"}]) is None


def test_a_bank_account_names_its_bank_and_an_unknown_bank_is_left_out() -> None:
    named = {f.relation: f.value for f in to_misp("bank_account", "VCB:0451000123999").fields}
    assert named == {
        "account": "0451000123999",
        "institution-code": "VCB",
        "institution-name": "Vietcombank",
    }
    unnamed = {f.relation: f.value for f in to_misp("bank_account", "UNKNOWN:0451").fields}
    assert unnamed == {"account": "0451"}


def test_a_kind_tipline_does_not_have_is_refused() -> None:
    with pytest.raises(ValueError, match="no MISP form"):
        to_misp("licence_plate", "29A-123.45")


def test_every_type_read_back_is_a_misp_type() -> None:
    assert set(READ_TYPES) <= set(DESCRIBE["types"])
