"""The TAXII server driven by the OASIS `taxii2-client`, as a partner's tools would drive it:
against a live `tipline serve` on loopback, with tokens and with HTTP Basic."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from requests.exceptions import HTTPError
from taxii2client.common import TokenAuth
from taxii2client.v21 import ApiRoot, Collection, Server, as_pages
from tests.live_server import running_tipline
from tests.sharing.taxii.world import (
    NARROW_READS,
    OBJECTS,
    PASSWORD,
    WIDE_READS,
    World,
    build_world,
    stix_id,
)

from tipline.db import make_engine, make_session_factory
from tipline.server.migrate import upgrade
from tipline.settings import Settings
from tipline.sharing.taxii.collections import INBOX, INDICATORS


@dataclass(frozen=True)
class Live:
    url: str
    world: World

    def server(self, caller: str) -> Server:
        return Server(f"{self.url}/taxii2/", auth=TokenAuth(self.world.tokens[caller]))

    def root(self, caller: str) -> ApiRoot:
        return self.server(caller).default

    def collection(self, caller: str, alias: str) -> Collection:
        found = {c.alias: c for c in self.root(caller).collections}
        return found[alias]


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    data_dir = tmp_path_factory.mktemp("taxii-live")
    engine = make_engine(Settings(data_dir=data_dir).sqlalchemy_url)
    upgrade(engine)
    with make_session_factory(engine)() as session:
        world = build_world(session)
    engine.dispose()
    with running_tipline(Path(data_dir)) as url:
        yield Live(url, world)


def ids(envelope: dict[str, object]) -> list[str]:
    objects = envelope.get("objects") or []
    assert isinstance(objects, list)
    return [o["id"] for o in objects]


def test_discovery_api_root_and_collections(live: Live) -> None:
    server = live.server("wide")
    assert server.title == "tipline TAXII 2.1"
    assert [root.url for root in server.api_roots] == [f"{live.url}/taxii2/tipline/"]
    root = server.default
    assert root.versions == ["application/taxii+json;version=2.1"]
    assert {(c.id, c.can_read, c.can_write) for c in root.collections} == {
        (INDICATORS.id, True, False),
        (INBOX.id, False, True),
    }


def test_every_caller_sees_its_collections(live: Live) -> None:
    assert [c.id for c in live.root("staff").collections] == [INDICATORS.id]
    assert [c.alias for c in live.root("narrow").collections] == ["indicators", "inbox"]
    assert live.root("platform").collections == []
    anonymous = Server(f"{live.url}/taxii2/")
    with pytest.raises(HTTPError) as refused:
        anonymous.refresh()
    assert refused.value.response.status_code == 401
    assert refused.value.response.json()["http_status"] == "401"


@pytest.mark.parametrize(
    ("caller", "readable"),
    [("staff", set(OBJECTS)), ("narrow", NARROW_READS), ("wide", WIDE_READS)],
)
def test_pages_of_objects_with_as_pages(live: Live, caller: str, readable: set[str]) -> None:
    collection = live.collection(caller, "indicators")
    pages = list(as_pages(collection.get_objects, per_request=2))
    assert all(len(ids(page)) <= 2 for page in pages)
    assert all("next" in page for page in pages if page["more"])
    seen = [i for page in pages for i in ids(page)]
    in_order = [stix_id(name) for name in OBJECTS if name in readable]
    assert seen == in_order
    later = collection.get_objects(added_after="2026-12-01T08:01:00Z")
    assert ids(later) == [
        i for i in in_order if i not in {stix_id("clear-phone"), stix_id("green-url")}
    ]


def test_manifest_object_and_versions(live: Live) -> None:
    collection = live.collection("narrow", "indicators")
    manifest = collection.get_manifest()
    assert [m["id"] for m in manifest["objects"]] == [stix_id("clear-phone"), stix_id("green-url")]
    one = collection.get_object(stix_id("green-url"))
    assert ids(one) == [stix_id("green-url")]
    assert collection.object_versions(stix_id("green-url"))["versions"] == [
        "2026-12-01T08:01:00.000000Z"
    ]
    with pytest.raises(HTTPError) as hidden:
        collection.get_object(stix_id("red-phone"))  # red: above its policy's amber
    assert hidden.value.response.status_code == 404


def test_add_objects_and_read_the_status_with_basic(live: Live) -> None:
    inbox = Collection(
        f"{live.url}/taxii2/tipline/collections/{INBOX.id}/", user="khmer", password=PASSWORD
    )
    envelope = {
        "objects": [
            {
                "type": "indicator",
                "spec_version": "2.1",
                "id": "indicator--0b8d4d9b-2b8b-4d1f-9d33-3d3c4d2c9e11",
                "created": "2026-12-02T00:00:00.000Z",
                "modified": "2026-12-02T00:00:00.000Z",
                "pattern": "[domain-name:value = 'vietcombank-xacthuc.com']",
                "pattern_type": "stix",
                "valid_from": "2026-12-02T00:00:00.000Z",
            }
        ]
    }
    status = inbox.add_objects(envelope, wait_for_completion=False)
    assert status.status == "complete"
    assert (status.total_count, status.success_count, status.failure_count) == (1, 1, 0)
    assert [s["id"] for s in status.successes] == [envelope["objects"][0]["id"]]
    root = ApiRoot(f"{live.url}/taxii2/tipline/", user="khmer", password=PASSWORD)
    again = root.get_status(status.id)
    assert (again.total_count, again.success_count, again.failure_count) == (
        status.total_count,
        status.success_count,
        status.failure_count,
    )
    with pytest.raises(HTTPError) as other:
        live.root("narrow").get_status(status.id)
    assert other.value.response.status_code == 404
