"""The web application: the JSON API under /api/v1, its OpenAPI docs, and the citizen pages."""

from __future__ import annotations

import gc
import importlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI
from sqlalchemy.orm import Session, sessionmaker

from tipline import __version__
from tipline.db import make_engine, make_session_factory
from tipline.server import problems
from tipline.server.limits import BodyLimit
from tipline.settings import Settings, get_settings

API_PREFIX = "/api/v1"
log = logging.getLogger("tipline.server")


def api_router() -> APIRouter:
    """Every capability's API routes under one prefix."""
    from tipline.indicators.routes import router as check_router
    from tipline.reports.routes import router as reports_router
    from tipline.server.routes import router as health_router

    router = APIRouter(prefix=API_PREFIX)
    router.include_router(reports_router)
    router.include_router(check_router)
    router.include_router(health_router)
    return router


def _mount_pages(app: FastAPI) -> None:
    """The citizen pages, when the web package is installed and importable."""
    try:
        pages = importlib.import_module("tipline.web.routes")
    except ImportError as exc:
        log.warning("citizen pages not available: %s", exc)
        return
    app.include_router(pages.router)


def warm_up_and_freeze() -> None:
    """Load extraction's tables and triage's model now (the first report would wait for them),
    then move every object alive to the permanent GC generation: the collector never rescans
    them again, which takes its pauses out of the latency of requests."""
    from tipline.indicators import read_value
    from tipline.reports.reading import read_report

    for value in ("0912345678", "VCB 0123456789", "https://example.vn/x", "t.me/abc"):
        read_value(value)
    read_report("Warm-up: 0912345678", [])
    gc.collect()
    gc.freeze()


@asynccontextmanager
async def _frozen_heap(app: FastAPI) -> AsyncIterator[None]:
    warm_up_and_freeze()
    yield


def create_app(
    settings: Settings | None = None,
    session_factory: sessionmaker[Session] | None = None,
    serving: bool = False,
) -> FastAPI:
    """The app for `settings` (default: the environment's), or on an explicit session factory.

    `serving`: a long-running server process (warm-up and frozen heap at start-up).
    """
    settings = settings or get_settings()
    if session_factory is None:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        session_factory = make_session_factory(make_engine(settings.sqlalchemy_url))
    app = FastAPI(
        title="tipline",
        version=__version__,
        summary="Report, triage and check indicators of cybercrime against ordinary people.",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
        openapi_url=f"{API_PREFIX}/openapi.json",
        lifespan=_frozen_heap if serving else None,
    )
    app.state.session_factory = session_factory
    app.state.settings = settings
    problems.install(app)
    app.add_middleware(BodyLimit, api_prefix="/api/")
    app.include_router(api_router())
    _mount_pages(app)
    return app


def app_from_environment() -> FastAPI:
    """The app on the environment's settings: what each `tipline serve --workers N` process runs."""
    return create_app(serving=True)
