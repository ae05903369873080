"""Shared fixtures: a real database (SQLite, or PostgreSQL when TIPLINE_TEST_DATABASE_URL is set)
with the migrations applied, one transaction per test rolled back at its end, and the app.

- `database_url`: the test database of this pytest process (one per xdist worker).
- `engine`: migrated once per session.
- `session_factory`: sessions that join the test's transaction (their commits are savepoints).
- `db_session`: one such session.
- `client`: a FastAPI TestClient on the app, on the same transaction.
- `settings`: Settings on a temporary data folder (the cache of get_settings is pointed at it).
- `make_report`: submits a report through the service: `make_report("text", victim_age=15)`.
- `shared_dir`: the shared data folder (`TIPLINE_SHARED_DIR` or `<repo>/../shared`).
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, Protocol

import pytest
from hypothesis import settings as hypothesis_settings
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from tipline.db import make_engine
from tipline.server.migrate import upgrade
from tipline.settings import Settings, get_settings

if TYPE_CHECKING:
    from fastapi.testclient import TestClient
    from playwright.sync_api import Browser

    from tipline.reports.schemas import ReportReceipt

pytest_plugins = ["tests.evidence_files"]  # `samples`, `new_report` for cases and evidence
REPO = Path(__file__).resolve().parent.parent
DEFAULT_NARRATIVE = (
    "Có người tự xưng công an gọi từ số 0987 654 321, bảo tôi chuyển 15.000.000đ vào "
    "STK 0123456789 Vietcombank để xác minh. Link: hxxps://vietcombank-xacthuc[.]com/login"
)
POSTGRES_URL = os.environ.get("TIPLINE_TEST_DATABASE_URL") or None


# Machine load (a 2-core CI box running two workers and a database) must not fail a property:
# no per-example deadline anywhere.
hypothesis_settings.register_profile("tipline", deadline=None)
hypothesis_settings.load_profile("tipline")


# The tests file far more reports and checks from one address (127.0.0.1, `testclient`) than a
# citizen may, and sign in and out again and again: limits high enough never to answer 429.
# The tests of the limits themselves set low ones. Servers started by tests inherit these.
TEST_RATE_LIMITS = {
    "TIPLINE_RATE_LIMIT_REPORTS": "1000000/minute",
    "TIPLINE_RATE_LIMIT_CHECKS": "1000000/minute",
    "TIPLINE_RATE_LIMIT_PRIVATE_CHECKS": "1000000/minute",
    "TIPLINE_SIGNIN_LIMIT_PER_ADDRESS": "1000000/minute",
    "TIPLINE_SIGNIN_LIMIT_GLOBAL": "1000000/minute",
}


# One data key for every test and every server a test starts: the PostgreSQL database outlives
# a test's data folder (tipline.keyring; tests of rotation set their own).
TEST_DATA_KEYS = "L8Q7Tbf6rNNMhSEFTKhZd6FmPAz4BMt3Cbca3zV5PZw"


def pytest_configure(config: pytest.Config) -> None:
    for name, limit in TEST_RATE_LIMITS.items():
        os.environ.setdefault(name, limit)
    os.environ.setdefault("TIPLINE_DATA_KEYS", TEST_DATA_KEYS)
    # Starlette deprecates its TestClient on httpx in favour of httpx2, which is not packaged yet.
    config.addinivalue_line("filterwarnings", "ignore:Using `httpx` with `starlette.testclient`")


def pytest_report_header() -> str:
    return f"tipline database: {'PostgreSQL' if POSTGRES_URL else 'SQLite'}"


@pytest.hookimpl(tryfirst=True)  # before xdist's own, which reads the groups
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Two things, before the run:
    - Under xdist, the tests of a module that share a module-scoped fixture (a live server, a
      Chromium) form one group (`--dist loadgroup`), so that one worker starts it, not both.
    - The PostgreSQL run runs only the tests that reach the database: a test that reaches it
      neither through `database_url` (which `engine`, `db_session`, `client` and the rest
      build on) nor through a module that reads the PostgreSQL URL itself gives the same
      outcome on both, and the SQLite run has run it (the pure corpora of extraction and
      triage are most of the suite's 16,000 tests)."""
    for item in items:
        if shares_module_fixture(item):
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))
    if not POSTGRES_URL:
        return
    kept = [item for item in items if reaches_database(item)]
    if len(kept) < len(items):
        kept_ids = {id(item) for item in kept}
        config.hook.pytest_deselected(items=[item for item in items if id(item) not in kept_ids])
        items[:] = kept


def fixture_definitions(item: pytest.Item) -> list[Any]:
    """Every fixture definition the test reaches, directly or through other fixtures."""
    fixture_info = getattr(item, "_fixtureinfo", None)
    by_name = getattr(fixture_info, "name2fixturedefs", {})
    return [definition for definitions in by_name.values() for definition in definitions]


def shares_module_fixture(item: pytest.Item) -> bool:
    """Whether the test uses a module-scoped fixture (a live server, a Chromium): the module's
    tests then share one worker, which starts it once. (A folder's session-wide server, such as
    tests/client's, is started by each worker that needs it: with the folder grouped, a fresh
    clone's SQLite run took 9 min 51 s, against 8 min 04 s and 8 min 53 s without.)"""
    return any(d.scope in ("module", "class") for d in fixture_definitions(item))


def reaches_database(item: pytest.Item) -> bool:
    """Whether the test uses the database under test: through the `database_url` fixture, or
    through a test module or fixture whose module reads `POSTGRES_URL` (the test instances, the
    crash and concurrency tests' own databases, the live client's server)."""
    if "database_url" in getattr(item, "fixturenames", ()):
        return True
    modules = [getattr(item, "module", None)]
    modules += [inspect.getmodule(definition.func) for definition in fixture_definitions(item)]
    return any(_reads_postgres_url(module) for module in modules)


def _reads_postgres_url(module: ModuleType | None) -> bool:
    if module is None or Path(module.__file__ or "") == Path(__file__):
        return False  # this file's fixtures reach PostgreSQL only through `database_url`
    return "POSTGRES_URL" in vars(module)


def backend() -> str:
    """`postgresql` or `sqlite`: the backend this run tests."""
    return "postgresql" if POSTGRES_URL else "sqlite"


def _sqlite_transactions(engine: Engine) -> None:
    """Let SQLAlchemy, not the sqlite3 module, begin transactions, so savepoints nest properly."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN")


def _worker_database(base_url: str, worker: str) -> Iterator[str]:
    """A fresh PostgreSQL database for this worker, dropped at the end."""
    url = make_url(base_url)
    name = f"{url.database}_{worker}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    if not POSTGRES_URL:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'tipline-test.db'}"
        return
    yield from _worker_database(POSTGRES_URL, worker)


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    if database_url.startswith("sqlite"):
        engine = make_engine(database_url, connect_args={"check_same_thread": False})
        _sqlite_transactions(engine)
    else:
        engine = make_engine(database_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def db_connection(engine: Engine) -> Iterator[Connection]:
    """One connection and one transaction, rolled back when the test ends."""
    connection = engine.connect()
    transaction = connection.begin()
    try:
        yield connection
    finally:
        transaction.rollback()
        connection.close()


@pytest.fixture
def session_factory(db_connection: Connection) -> sessionmaker[Session]:
    return sessionmaker(
        bind=db_connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
    )


@pytest.fixture
def db_session(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    with session_factory() as session:
        yield session


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    """Settings on a temporary data folder (SQLite there); `get_settings()` answers them."""
    monkeypatch.setenv("TIPLINE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("TIPLINE_DATABASE_URL", raising=False)
    monkeypatch.setenv("TIPLINE_SECRET_KEY", "test-secret-key")
    get_settings.cache_clear()
    yield get_settings()
    get_settings.cache_clear()


@pytest.fixture
def client(settings: Settings, session_factory: sessionmaker[Session]) -> Iterator[TestClient]:
    from fastapi.testclient import TestClient

    from tipline.app import create_app

    app = create_app(settings=settings, session_factory=session_factory)
    with TestClient(app) as test_client:
        yield test_client


class ClientAs(Protocol):
    def __call__(self, role: str, username: str = ...) -> TestClient: ...


@pytest.fixture
def client_as(settings: Settings, session_factory: sessionmaker[Session]) -> Iterator[ClientAs]:
    """A TestClient whose every request comes from a signed-in user of `role`, without a login:
    `client_as("analyst").get("/queue")`. (Login itself is tested in tests/accounts.)"""
    from fastapi.testclient import TestClient

    from tipline.access import Principal, Role, get_principal
    from tipline.app import create_app

    clients: list[TestClient] = []

    def make(role: str, username: str = "lan") -> TestClient:
        app = create_app(settings=settings, session_factory=session_factory)
        principal = Principal(user_id=1, username=username, role=Role(role), via="session")
        app.dependency_overrides[get_principal] = lambda: principal
        test_client = TestClient(app)
        test_client.__enter__()
        clients.append(test_client)
        return test_client

    yield make
    for test_client in clients:
        test_client.__exit__(None, None, None)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, one per test module (see `tests/browser.py`)."""
    from tests.browser import chromium

    with chromium() as opened:
        yield opened


@pytest.fixture(scope="session", autouse=True)
def triage_model_once(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Under xdist, one worker trains the triage model into a folder the workers share, and the
    others load it (the store's lock makes them wait): each test's data folder then gets a copy,
    instead of every worker training its own (seconds of CPU on a loaded 2-core machine)."""
    if "PYTEST_XDIST_WORKER" not in os.environ:
        return
    from tipline.triage.store import load_or_train

    load_or_train(tmp_path_factory.getbasetemp().parent / "triage-model")


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The shared data folder; tests that need a data set skip when it is absent."""
    configured = os.environ.get("TIPLINE_SHARED_DIR")
    return Path(configured) if configured else REPO.parent / "shared"


class ReportMaker(Protocol):
    def __call__(self, narrative: str = ..., **fields: Any) -> ReportReceipt: ...


@pytest.fixture
def make_report(db_session: Session) -> ReportMaker:
    """Submit a report through the service (real extraction and triage): `make_report(text)`."""
    from tipline.intake.service import submit_report
    from tipline.reports.schemas import ReportCreate

    def make(narrative: str = DEFAULT_NARRATIVE, **fields: Any) -> ReportReceipt:
        channel = fields.pop("channel", "api")
        return submit_report(db_session, ReportCreate(narrative=narrative, **fields), channel)

    return make
