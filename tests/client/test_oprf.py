"""tipline.client.oprf against RFC 9497's test vectors (Appendix A.1.1, OPRF(ristretto255,
SHA-512), mode 0x00 "OPRF") and RFC 9380's expand_message_xmd vectors (SHA-512)."""

from __future__ import annotations

import pytest

from tipline.client import oprf

# RFC 9497, A.1.1: Seed, KeyInfo and the skSm DeriveKeyPair gives them.
SEED = bytes.fromhex("a3" * 32)
KEY_INFO = bytes.fromhex("74657374206b6579")  # "test key"
SK_SM = bytes.fromhex("5ebcea5ee37023ccb9fc2d2019f9d7737be85591ae8652ffa9ef0f4d37063b0e")
BLIND = bytes.fromhex("64d37aed22a27f5191de1c1d69fadb899d8862b58eb4220029e036ec4c1f6706")
# (Input, BlindedElement, EvaluationElement, Output) of A.1.1's test vectors 1 and 2.
VECTORS = [
    (
        "00",
        "609a0ae68c15a3cf6903766461307e5c8bb2f95e7e6550e1ffa2dc99e412803c",
        "7ec6578ae5120958eb2db1745758ff379e77cb64fe77b0b2d8cc917ea0869c7e",
        "527759c3d9366f277d8c6020418d96bb393ba2afb20ff90df23fb7708264e2f3"
        "ab9135e3bd69955851de4b1f9fe8a0973396719b7912ba9ee8aa7d0b5e24bcf6",
    ),
    (
        "5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a",
        "da27ef466870f5f15296299850aa088629945a17d1f5b7f5ff043f76b3c06418",
        "b4cbf5a4f1eeda5a63ce7b77c7d23f461db3fcab0dd28e4e17cecb5c90d02c25",
        "f4a74c9c592497375e796aa837e907b1a045d34306a749db9f34221f7e750cb4"
        "f2a6413a6bf6fa5e19ba6348eb673934a722a7ede2e7621306d18951e7cf2c73",
    ),
]
# RFC 9380, K.3 (expand_message_xmd, SHA-512), DST "QUUX-V01-CS02-with-expander-SHA512-256".
XMD_DST = b"QUUX-V01-CS02-with-expander-SHA512-256"
XMD_VECTORS = [
    (b"", 0x20, "6b9a7312411d92f921c6f68ca0b6380730a1a4d982c507211a90964c394179ba"),
    (b"abc", 0x20, "0da749f12fbe5483eb066a5f595055679b976e93abe9be6f0f6318bce7aca8dc"),
    (
        b"abc",
        0x80,
        "7f1dddd13c08b543f2e2037b14cefb255b44c83cc397c1786d975653e36a6b11"
        "bdd7732d8b38adb4a0edc26a0cef4bb45217135456e58fbca1703cd6032cb134"
        "7ee720b87972d63fbf232587043ed2901bce7f22610c0419751c065922b48843"
        "1851041310ad659e4b23520e1772ab29dcdeb2002222a363f0c2b1c972b3efe1",
    ),
]


def test_the_context_is_the_rfcs() -> None:
    expected = "48617368546f47726f75702d4f50524656312d002d72697374726574746f3235352d534841353132"
    assert oprf.HASH_TO_GROUP_DST.hex() == expected


@pytest.mark.parametrize(("message", "length", "expected"), XMD_VECTORS)
def test_expand_message_xmd_gives_rfc_9380s_bytes(
    message: bytes, length: int, expected: str
) -> None:
    assert oprf.expand_message_xmd(message, XMD_DST, length).hex() == expected


def test_derive_key_gives_the_rfcs_secret_key() -> None:
    assert oprf.derive_key(SEED, KEY_INFO) == SK_SM


@pytest.mark.parametrize(("data", "blinded", "evaluated", "output"), VECTORS)
def test_each_step_gives_the_rfcs_bytes(
    data: str, blinded: str, evaluated: str, output: str
) -> None:
    blind_scalar, blinded_element = oprf.blind(bytes.fromhex(data), BLIND)
    assert blind_scalar == BLIND
    assert blinded_element.hex() == blinded
    evaluated_element = oprf.blind_evaluate(SK_SM, blinded_element)
    assert evaluated_element.hex() == evaluated
    assert oprf.finalize(bytes.fromhex(data), BLIND, evaluated_element).hex() == output
    # The key's holder computes the same output without the client.
    assert oprf.evaluate(SK_SM, bytes.fromhex(data)).hex() == output


def test_a_random_blind_gives_the_same_output() -> None:
    blind_scalar, blinded_element = oprf.blind(b"phone:+84912345678")
    evaluated = oprf.blind_evaluate(SK_SM, blinded_element)
    output = oprf.finalize(b"phone:+84912345678", blind_scalar, evaluated)
    assert output == oprf.evaluate(SK_SM, b"phone:+84912345678")
    assert blind_scalar != BLIND
    assert len(output) == oprf.OUTPUT_BYTES


@pytest.mark.parametrize("element", [bytes(32), b"\xff" * 32, b"\x01" * 31])
def test_an_element_that_is_none_is_refused(element: bytes) -> None:
    with pytest.raises(oprf.OprfError):
        oprf.blind_evaluate(SK_SM, element)
    with pytest.raises(oprf.OprfError):
        oprf.finalize(b"x", BLIND, element)
