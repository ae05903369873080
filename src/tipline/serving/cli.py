"""`tipline serve`: the web server, with the demo data set loading beside it.

Assembly, like `tipline.app` and `tipline.cli`: it ties the app, accounts and the demo together,
so it sits above every capability and nothing imports it (the main CLI finds it by its name).
"""

from __future__ import annotations

import signal
import subprocess
import sys
from typing import Annotated

import typer


def serve(
    host: Annotated[str | None, typer.Option(help="Address to bind (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default 8000).")] = None,
    demo: Annotated[
        bool, typer.Option(help="Load the demo data set into an empty database, meanwhile serving.")
    ] = False,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="Server processes (one a core at most).")
    ] = 1,
) -> None:
    """Start the web server (pages and API); a new database gets its tables first.

    With --demo on a database without reports, the demo data set loads in a second process
    (with its progress bar) while the server already answers."""
    import uvicorn

    from tipline.about.profile import read_profile
    from tipline.accounts.service import demo_logins, ensure_demo_accounts
    from tipline.app import create_app, serving_while_loading
    from tipline.demo.service import needs_loading, shared_dir
    from tipline.server.console import open_database, user_errors
    from tipline.settings import get_settings

    settings = get_settings()
    logins: list[tuple[str, str, str]] = []
    loader: subprocess.Popen[bytes] | None = None
    with user_errors():
        read_profile(settings.about_file)  # a broken "who we are" file stops the start here
        factory = open_database(settings)
        if demo:
            with factory() as session:
                if needs_loading(session, shared_dir(settings.shared_dir)):
                    ensure_demo_accounts(session)  # now, so the sign-ins show below at once
                    loader = _start_demo_loader()
                logins = demo_logins(session)
    bind_host, bind_port = host or settings.host, port or settings.port
    typer.echo(f"tipline on http://{bind_host}:{bind_port}/ (API docs: /api/v1/docs)")
    demo_text = "; ".join(f"{name} / {password}" for name, _role, password in logins)
    login_url = f"http://{bind_host}:{bind_port}/login"
    typer.echo(f"sign in at {login_url}{f' (demo: {demo_text})' if logins else ''}")
    try:
        # No access log: a follow URL may carry a report's secret, a check URL what a victim
        # typed.
        if workers > 1:
            # Each worker process builds its own app from the same environment.
            uvicorn.run(
                "tipline.app:app_from_environment",
                factory=True,
                workers=workers,
                host=bind_host,
                port=bind_port,
                access_log=False,
                log_level="warning",
            )
            return
        # While the demo loads, the server answers at once and warms up in the background.
        app = create_app(settings=settings, session_factory=factory, serving=loader is None)
        if loader is not None:
            app.router.lifespan_context = serving_while_loading
        uvicorn.run(app, host=bind_host, port=bind_port, access_log=False, log_level="warning")
    finally:
        if loader is not None:
            _stop(loader)


def _start_demo_loader() -> subprocess.Popen[bytes]:
    """`tipline demo` in a child process sharing this terminal (its progress bar shows)."""
    typer.echo("loading the demo data set in the background; the server answers meanwhile")
    return subprocess.Popen([sys.executable, "-m", "tipline", "demo"])


def _stop(loader: subprocess.Popen[bytes]) -> None:
    """Interrupt the demo loader if it still runs (it keeps whole batches), and wait for it."""
    if loader.poll() is None:
        loader.send_signal(signal.SIGINT)  # already sent by the terminal on Ctrl-C: harmless
    try:
        loader.wait(timeout=15)
    except subprocess.TimeoutExpired:
        loader.kill()
        loader.wait()


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
