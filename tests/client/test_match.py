"""`Client.match_hashes` on the wire (an httpx transport answering as the match API does): the
hashes sent as asked, 1,000 at a time, and each answer's matches in order."""

from __future__ import annotations

import json

import httpx
import pytest

from tipline.client import BadAnswer, Client, HashMatch, HashMatches

PDQ = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"
MD5 = "d41d8cd98f00b204e9800998ecf8427e"


def matcher(request: httpx.Request) -> httpx.Response:
    """Matches every PDQ at distance 3 in bank 1; nothing else."""
    body = json.loads(request.content)
    results = []
    for index, asked in enumerate(body["hashes"]):
        signal, value = next((k, v) for k, v in asked.items() if k != "quality")
        found = [{"bank_id": 1, "bank": "NCII reported by victims", "bank_kind": "ncii",
                  "hash_id": 9, "signal": "pdq", "value": value, "distance": 3}]  # fmt: skip
        results.append({"index": index, "signal": signal, "value": value,
                        "matches": found if signal == "pdq" else []})  # fmt: skip
    return httpx.Response(200, json={"results": results})


def test_each_hash_gets_its_matches_in_order() -> None:
    sent: list[bytes] = []

    def recording(request: httpx.Request) -> httpx.Response:
        sent.append(request.content)
        return matcher(request)

    with Client("http://tipline.test", "tok", transport=httpx.MockTransport(recording)) as t:
        results = t.match_hashes([{"pdq": PDQ, "quality": 90}, {"md5": MD5}], max_distance=20)
    assert results == [
        HashMatches(0, "pdq", PDQ, (HashMatch(1, "NCII reported by victims", "ncii", 9, "pdq",
                                              PDQ, 3),)),
        HashMatches(1, "md5", MD5, ()),
    ]  # fmt: skip
    assert json.loads(sent[0]) == {
        "hashes": [{"pdq": PDQ, "quality": 90}, {"md5": MD5}],
        "max_distance": 20,
    }


def test_more_than_a_thousand_hashes_go_in_batches_and_keep_their_index() -> None:
    batches: list[int] = []

    def counting(request: httpx.Request) -> httpx.Response:
        batches.append(len(json.loads(request.content)["hashes"]))
        return matcher(request)

    with Client("http://tipline.test", transport=httpx.MockTransport(counting)) as tipline:
        results = tipline.match_hashes([{"md5": MD5}] * 2500)
    assert batches == [1000, 1000, 500]
    assert [r.index for r in results] == list(range(2500))


def test_an_answer_that_skips_hashes_is_a_bad_answer() -> None:
    def short(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"results": []})

    with Client("http://tipline.test", transport=httpx.MockTransport(short)) as tipline:
        with pytest.raises(BadAnswer):
            tipline.match_hashes([{"md5": MD5}])
