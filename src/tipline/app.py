"""The web application: the JSON API under /api/v1, its OpenAPI docs, the pages, the standard
protocols' APIs mounted at their own prefixes, and `/api/v1/health`: the service answers and its
database does too."""

from __future__ import annotations

import gc
import importlib
import importlib.util
import logging
import pkgutil
import sys
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from types import ModuleType

from fastapi import APIRouter, Depends, FastAPI, Request
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

import tipline
from tipline import __version__
from tipline.access import PUBLIC, Principal
from tipline.accounts.service import (
    principal_for_password,
    principal_for_request,
    principal_for_token,
)
from tipline.alerts.service import alert_mentions
from tipline.db import make_engine, make_session_factory
from tipline.db_types import use_data_keys
from tipline.dependencies import DbSession
from tipline.jobs.service import background
from tipline.media.indexing import start_pdq_index
from tipline.media.screening import screen_received
from tipline.ratelimits.service import RateLimits, rate_limits
from tipline.server import problems
from tipline.server.docs import docs_router
from tipline.server.headers import ForwardedScheme, SecurityHeaders
from tipline.server.limits import BodyLimit
from tipline.server.protocols import PasswordCheck, ProtocolContext, ProtocolMount
from tipline.server.sections import SectionRouter, first_segment, sectioned
from tipline.server.surrogates import StorableJSON
from tipline.settings import Settings, get_settings

API_PREFIX = "/api/v1"
# A collection of the youngest generation after 10,000 new objects rather than 700: a request
# (a bulk check reads and answers a thousand values) makes tens of thousands of short-lived
# objects and almost no cycles, so the default collects a dozen times a request for nothing.
SERVE_GC_THRESHOLD = 10_000
# The GIL handed to a waiting thread after 0.5 ms rather than 5: a request holding the writers'
# place (SQLite's single writer, PostgreSQL's campaigns lock) gives up the GIL at each of its
# statements and, with checks busy on the CPU in other threads, waited up to the whole interval
# to take it back before its next one, holding every other writer up (the convoy; issue 18).
SERVE_SWITCH_INTERVAL = 0.0005
log = logging.getLogger("tipline.server")
health_router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str
    database: str


@health_router.get("/health", dependencies=[Depends(PUBLIC)])
def health(session: DbSession) -> Health:
    """`ok` when the database answers a query."""
    session.execute(text("SELECT 1"))
    return Health(status="ok", database=session.get_bind().dialect.name)


def capability_routes() -> list[ModuleType]:
    """The `routes` module of every capability package that has one, in name order."""
    modules = []
    for package in sorted(pkgutil.iter_modules(tipline.__path__), key=lambda p: p.name):
        name = f"tipline.{package.name}.routes"
        if package.ispkg and importlib.util.find_spec(name) is not None:
            modules.append(importlib.import_module(name))
    return modules


def include_capabilities(app: FastAPI, context: ProtocolContext) -> dict[str, int]:
    """Each capability's `router` (JSON API, under /api/v1), `pages` (HTML, at the root) and
    `protocol` (a standard API mounted as its own application), and the health check; the
    protocols' body limits."""
    api = SectionRouter(frozenset({first_segment(API_PREFIX)}), prefix=API_PREFIX)
    page_routers = []
    protocols: list[ProtocolMount] = []
    for module in capability_routes():
        if isinstance(router := getattr(module, "router", None), APIRouter):
            api.include_router(router)
        if isinstance(pages := getattr(module, "pages", None), APIRouter):
            page_routers.append(pages)
        if isinstance(protocol := getattr(module, "protocol", None), ProtocolMount):
            protocols.append(protocol)
    api.include_router(health_router)
    # The API first: Starlette tries routes in order, and the check API is the hot path. A page
    # passes by the API, and by each capability's pages but its own, on the first segment.
    app.include_router(api)
    for protocol in protocols:
        app.mount(protocol.prefix, protocol.build(context))
    for pages in page_routers:
        app.include_router(sectioned(pages))
    return {protocol.prefix: protocol.body_limit for protocol in protocols}


def password_check(limits: RateLimits) -> PasswordCheck:
    """How a protocol checks a username and password (HTTP Basic): as sign-ins, throttled per
    client address."""

    def check(session: Session, request: Request, username: str, password: str) -> Principal | None:
        return principal_for_password(session, username, password, limits, limits.address(request))

    return check


def warm_up_and_freeze() -> None:
    """Load extraction's tables and triage's model now (the first report would wait for them),
    then move every object alive to the permanent GC generation: the collector never rescans
    them again, which takes its pauses out of the latency of requests. Young objects are
    collected less often (`SERVE_GC_THRESHOLD`), and threads take turns on the GIL more often
    (`SERVE_SWITCH_INTERVAL`)."""
    from tipline.indicators import read_value
    from tipline.intake.reading import read_submitted
    from tipline.reports.schemas import ReportCreate

    for value in ("0912345678", "VCB 0123456789", "https://example.vn/x", "t.me/abc"):
        read_value(value)
    read_submitted([ReportCreate(narrative="Warm-up: 0912345678")])
    gc.collect()
    gc.freeze()
    gc.set_threshold(SERVE_GC_THRESHOLD, *gc.get_threshold()[1:])
    sys.setswitchinterval(SERVE_SWITCH_INTERVAL)


def _start_pdq_index(app: FastAPI) -> None:
    """The PDQ index loaded in a thread (the brute force matches until it is ready): each
    process's own, in its memory, so not background work of the queue's."""
    settings = app.state.settings
    start_pdq_index(app.state.session_factory, settings.make_data_dir() / "media" / "pdq-index")


@asynccontextmanager
async def _serving(app: FastAPI) -> AsyncIterator[None]:
    """A long-running server: frozen heap, the PDQ index, then the background work
    (`tipline.jobs`: once across processes on PostgreSQL, in this process on SQLite)."""
    warm_up_and_freeze()
    _start_pdq_index(app)
    async with background(app.state.settings, app.state.session_factory):
        yield


@asynccontextmanager
async def serving_while_loading(app: FastAPI) -> AsyncIterator[None]:
    """A long-running server that answers at once while the demo data set loads beside it:
    the warm-up in a thread, the background work from the start (so the private check, the
    feed and the index follow the demo as it arrives)."""
    threading.Thread(target=warm_up_and_freeze, name="warm-up", daemon=True).start()
    _start_pdq_index(app)
    async with background(app.state.settings, app.state.session_factory):
        yield


def replica_sessions(settings: Settings, primary: sessionmaker[Session]) -> sessionmaker[Session]:
    """The sessions of the read-heavy paths (`tipline.dependencies.ReadSession`): on the
    streaming replica when `replica_url` is set, else the primary's."""
    if not settings.replica_url:
        return primary
    return make_session_factory(make_engine(settings.replica_url))


def create_app(
    settings: Settings | None = None,
    session_factory: sessionmaker[Session] | None = None,
    serving: bool = False,
) -> FastAPI:
    """The app for `settings` (default: the environment's), or on an explicit session factory.

    `serving`: a long-running server process (warm-up and frozen heap at start-up).
    """
    settings = settings or get_settings()
    use_data_keys(settings.data_keys, settings.make_data_dir())
    if session_factory is None:
        session_factory = make_session_factory(make_engine(settings.sqlalchemy_url))
    app = FastAPI(
        title="tipline",
        version=__version__,
        summary="Report, triage and check indicators of cybercrime against ordinary people.",
        docs_url=None,  # served by tipline.server.docs, without a CDN
        redoc_url=None,
        openapi_url=f"{API_PREFIX}/openapi.json",
        lifespan=_serving if serving else None,
    )
    app.state.session_factory = session_factory
    app.state.read_session_factory = replica_sessions(settings, session_factory)
    app.state.settings = settings
    app.state.resolve_principal = principal_for_request
    app.state.screen_evidence = screen_received  # images are matched against the hash banks
    app.state.check_alerts = alert_mentions  # the check's answer names published alerts
    app.state.rate_limits = rate_limits(settings, session_factory)
    problems.install(app)
    context = ProtocolContext(
        settings, session_factory, principal_for_token, password_check(app.state.rate_limits)
    )
    protocols = include_capabilities(app, context)
    docs = docs_router(f"{API_PREFIX}/docs", app.openapi_url or "", app.title)
    app.include_router(docs, dependencies=[Depends(PUBLIC)])
    app.add_middleware(StorableJSON, prefix=f"{API_PREFIX}/")  # inside BodyLimit: bounded
    app.add_middleware(BodyLimit, api_prefix="/api/", protocols=protocols)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(ForwardedScheme, trusted_proxies=settings.trusted_proxies)
    return app


def app_from_environment() -> FastAPI:
    """The app on the environment's settings: what each `tipline serve --workers N` process runs."""
    return create_app(serving=True)
