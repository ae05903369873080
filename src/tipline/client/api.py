"""`Client`: a tipline server's checks, feeds and matches over HTTP, with retries.

    with Client("https://tipline.example.vn") as tipline:
        result = tipline.check("0987 654 321")
        if result.reported: ...

Every request is tried again on a failed connection, a 5xx or a 429 (see `retrying`), and
every refusal (4xx) raises a `Refused` with the server's own message.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import httpx

import tipline
from tipline.client.errors import (
    BadAnswer,
    ClientError,
    InvalidValue,
    NotAuthorised,
    NotFound,
    RateLimited,
    Refused,
    ServerError,
    Unavailable,
    Unreachable,
)
from tipline.client.feeds import FeedPull
from tipline.client.reading import read_indicator
from tipline.client.results import (
    VERDICTS,
    CheckRejected,
    CheckResult,
    HashMatches,
    PrivateCheckResult,
    bulk_result,
)
from tipline.client.retrying import RETRIED_STATUSES, Backoff, retry_after_seconds
from tipline.vocabulary import MAX_BULK_VALUES

if TYPE_CHECKING:
    from tipline.client.private import Parameters

API = "/api/v1"
MAX_ANSWER_BYTES = 64 * 1024 * 1024  # a bulk answer of 1,000 verdicts is well under 1 MB
_REFUSALS: dict[int, type[Refused]] = {
    401: NotAuthorised,
    403: NotAuthorised,
    404: NotFound,
    422: InvalidValue,
}


def server_url(server: str) -> str:
    """The server's base URL (`https://host[:port][/prefix]`), checked: ClientError if not."""
    parts = urlsplit(server.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ClientError(f"not a server URL (http:// or https://): {server[:200]!r}")
    if parts.query or parts.fragment:
        raise ClientError(f"a server URL has no query or fragment: {server[:200]!r}")
    return server.strip().rstrip("/")


class Client:
    """A tipline server. `token`: an API token (platform feeds and higher rate limits); none
    for the public checks. `timeout`: seconds for each try. `language`: `en` or `vi`, the
    language of the server's messages."""

    def __init__(
        self,
        server: str,
        token: str | None = None,
        *,
        timeout: float = 10.0,
        backoff: Backoff | None = None,
        language: str | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        headers = {"User-Agent": f"tipline-client/{tipline.__version__}"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if language:
            headers["Accept-Language"] = language
        self.server = server_url(server)
        self._http = httpx.Client(
            base_url=self.server, headers=headers, timeout=timeout, transport=transport
        )
        self._backoff = backoff or Backoff()
        self._sleep = sleep
        self._random = random.Random()
        self._parameters: Parameters | None = None

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def check(self, value: str) -> CheckResult:
        """The public check of one value as a person typed it (the server reads it):
        InvalidValue when it is no phone, account, link, e-mail, IP, wallet, hash or handle."""
        return CheckResult.from_json(self._json("GET", "/check", params={"value": value}))

    def check_many(self, values: Iterable[str]) -> list[CheckResult | CheckRejected]:
        """The public check of many values, answered in order (sent 1,000 at a time): a
        `CheckResult` for each, or a `CheckRejected` for a value that is no indicator."""
        values = list(values)
        if not all(isinstance(value, str) for value in values):
            raise TypeError("check_many takes strings")
        results: list[CheckResult | CheckRejected] = []
        for start in range(0, len(values), MAX_BULK_VALUES):
            batch = values[start : start + MAX_BULK_VALUES]
            answer = self._json("POST", "/check/bulk", json={"values": batch})
            items = answer.get("results")
            if not isinstance(items, list) or len(items) != len(batch):
                raise BadAnswer("the server's bulk answer does not answer each value")
            results += [bulk_result(item) for item in items]
        return results

    def match_hashes(
        self, hashes: Iterable[Mapping[str, str | int]], *, max_distance: int | None = None
    ) -> list[HashMatches]:
        """Image hashes matched against the banks this token may use (`POST
        /api/v1/media/match`), no image ever sent: each `{"pdq": "<64 hex>"}` (with an optional
        `"quality"`), `{"md5": …}` or `{"sha256": …}`, as `tipline media hash` prints them.
        One `HashMatches` per hash, in order (sent 1,000 at a time); PDQ matches within
        `max_distance` bits (the server's default: 31)."""
        hashes = [dict(item) for item in hashes]
        results: list[HashMatches] = []
        for start in range(0, len(hashes), MAX_BULK_VALUES):
            body: dict[str, Any] = {"hashes": hashes[start : start + MAX_BULK_VALUES]}
            if max_distance is not None:
                body["max_distance"] = max_distance
            items = self._json("POST", "/media/match", json=body).get("results")
            if not isinstance(items, list) or len(items) != len(body["hashes"]):
                raise BadAnswer("the server's match answer does not answer each hash")
            results += [HashMatches.from_json(item, start) for item in items]
        return results

    def private_check(self, value: str) -> PrivateCheckResult:
        """The private check of one value: read here as the server reads it (InvalidValue if
        it is no indicator), it leaves as a bucket of thousands of values and a blinded
        element, and only this client can open the verdict. NotFound from a server that has no
        private check, Unavailable from one whose private check is not built yet."""
        with _libsodium():
            from tipline.client import private
        kind, canonical = read_indicator(value)
        for fresh in (False, True):  # the bucket's size may change with the server's key
            parameters = self._private_parameters(fresh)
            prepared = private.prepare(kind, canonical, parameters)
            try:
                answer = self._json("POST", "/private-check", json=prepared.request)
                break
            except Refused as exc:  # 400 from the server, 422 from a proxy's validation
                if fresh or exc.field != "bucket":
                    raise
        try:
            opened = private.open_answer(prepared, answer)
        except private.PrivateCheckError as exc:
            raise BadAnswer(f"the private check's answer: {exc}") from None
        if opened.verdict not in VERDICTS:
            raise BadAnswer("the private check's answer has an unknown verdict")
        return PrivateCheckResult(value, kind, canonical, opened.verdict, opened.confirmed,
                                  opened.allowlisted, opened.report_count, opened.categories,
                                  opened.key_id)  # fmt: skip

    def _private_parameters(self, fresh: bool) -> Parameters:
        if self._parameters is None or fresh:
            from tipline.client import private  # imported by private_check already

            try:
                read = private.Parameters.from_json(self._json("GET", "/private-check"))
            except private.PrivateCheckError as exc:
                raise BadAnswer(f"the private check's parameters: {exc}") from None
            self._parameters = read
        return self._parameters

    def feed(
        self,
        *,
        since: str | None = None,
        kinds: Iterable[str] = (),
        categories: Iterable[str] = (),
        min_confidence: int | None = None,
    ) -> FeedPull:
        """The organisation's indicator feed (a platform token's): the full list, or with
        `since` (the `cursor` of an earlier pull) the changes after it. Iterate the pull for
        its entries (`FeedAdd`, `FeedRemove`); keep `pull.cursor` once it is read in full."""
        params: dict[str, str] = {"format": "jsonl"}
        if since is not None:
            params["since"] = since
        if kinds := ",".join(kinds):
            params["kind"] = kinds
        if categories := ",".join(categories):
            params["category"] = categories
        if min_confidence is not None:
            params["min_confidence"] = str(min_confidence)
        return FeedPull(lambda: self._lines("/feeds/indicators", params))

    @contextmanager
    def _opened(self, method: str, path: str, **request: Any) -> Iterator[httpx.Response]:
        """The answer, open for streaming; a refusal or a failure raises its error."""
        response = self._answer(method, path, request)
        try:
            if response.status_code >= 400:
                raise _error(response, self._read(response), None)
            yield response
        finally:
            response.close()

    def _answer(self, method: str, path: str, request: dict[str, Any]) -> httpx.Response:
        """The first answer that is not to be tried again (a failed connection, a 5xx or a 429
        is, after a wait), or the last failure's error once the retries are spent."""
        attempt = 0
        while True:
            attempt += 1
            built = self._http.build_request(method, API + path, **request)
            try:
                response = self._http.send(built, stream=True)
            except httpx.TransportError as exc:
                wait = self._backoff.wait(attempt, None, self._random)
                if wait is None:
                    raise Unreachable(f"no answer from {self.server}: {exc}") from exc
            else:
                if response.status_code not in RETRIED_STATUSES:
                    return response
                wait = self._wait_after(response, attempt)
            self._sleep(wait)

    def _wait_after(self, response: httpx.Response, attempt: int) -> float:
        """Seconds to wait after a 429 or 5xx (closed here), or its error when the client is
        not to try again: retries spent, a `Retry-After` too long, a server not ready."""
        try:
            body = self._read(response)
        finally:
            response.close()
        retry_after = retry_after_seconds(response.headers.get("Retry-After"))
        error = _error(response, body, retry_after)
        wait = self._backoff.wait(attempt, retry_after, self._random)
        if wait is None or isinstance(error, Unavailable):
            raise error
        return wait

    def _read(self, response: httpx.Response) -> bytes:
        """The body, at most MAX_ANSWER_BYTES of it: a larger one is no tipline answer."""
        chunks, size = [], 0
        try:
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > MAX_ANSWER_BYTES:
                    raise BadAnswer(f"the answer is larger than {MAX_ANSWER_BYTES:,} bytes")
                chunks.append(chunk)
        except httpx.TransportError as exc:
            raise Unreachable(f"the answer from {self.server} was cut: {exc}") from exc
        return b"".join(chunks)

    def _json(self, method: str, path: str, **request: Any) -> dict[str, Any]:
        with self._opened(method, path, **request) as response:
            return _object(self._read(response))

    def _lines(self, path: str, params: Mapping[str, str]) -> Iterator[dict[str, Any]]:
        """The JSON lines of a streamed answer, one object each."""
        with self._opened("GET", path, params=params) as response:
            try:
                for line in response.iter_lines():
                    if line.strip():
                        yield _object(line.encode("utf-8"))
            except httpx.TransportError as exc:
                raise Unreachable(f"the answer from {self.server} was cut: {exc}") from exc


@contextmanager
def _libsodium() -> Iterator[None]:
    """Around the import of `tipline.client.private`, done when first used: it needs libsodium
    (through pysodium), which the public checks do not."""
    try:
        yield
    except (ImportError, OSError, ValueError) as exc:
        raise ClientError(f"the private check needs libsodium (pysodium): {exc}") from exc


def _object(body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise BadAnswer("the server did not answer JSON: is it a tipline server?") from None
    if not isinstance(data, dict):
        raise BadAnswer("the server did not answer a JSON object: is it a tipline server?")
    return data


def _error(response: httpx.Response, body: bytes, retry_after: float | None) -> ClientError:
    """The error for a refusal or a failure, with the server's own message when it gave one."""
    status = response.status_code
    detail: Any = {}
    try:
        detail = json.loads(body).get("error") or {}
    except (ValueError, UnicodeDecodeError, AttributeError):
        pass
    detail = detail if isinstance(detail, dict) else {}
    message = detail.get("message")
    if not isinstance(message, str) or not message:
        message = f"{status} {response.reason_phrase or 'error'} from {response.url}"
    code = detail.get("code") if isinstance(detail.get("code"), str) else ""
    field = detail.get("field") if isinstance(detail.get("field"), str) else None
    if status == 503 and code == "not_ready":
        return Unavailable(message, status=status)
    if status >= 500:
        return ServerError(message, status=status)
    if status == 429:
        return RateLimited(message, retry_after=retry_after, code=code)
    kind = _REFUSALS.get(status, Refused)
    return kind(message, status=status, code=code or "refused", field=field)
