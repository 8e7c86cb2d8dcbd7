"""`fordring serve`: the REST API and the portal under uvicorn (docs/api.md, docs/portal.md)."""

from __future__ import annotations

from typing import Any

import click

from fordring.entrypoints.cli.options import Globals, WholeNumber, pass_globals


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    type=WholeNumber(minimum=1, maximum=65535),
    default=8000,
    show_default=True,
    help="Port to listen on.",
)
@click.option(
    "--workers",
    type=WholeNumber(minimum=1, maximum=64),
    default=1,
    show_default=True,
    help="Processes answering requests (one per core, docs/api.md).",
)
@click.option(
    "--forwarded-allow-ips",
    default=None,
    help="Behind a proxy: its addresses (comma-separated, or *) whose X-Forwarded-For "
    "is trusted, so the client's own address is the one seen (docs/debtor_page.md).",
)
@pass_globals
def serve(g: Globals, host: str, port: int, workers: int, forwarded_allow_ips: str | None) -> None:
    """Serve the REST API (/api/v1, reference at /api/docs) and the portal (/portal) until
    stopped (Ctrl-C or SIGTERM). Needs FORDRING_API_KEY_SECRET (docs/api.md)."""
    import contextlib
    import os

    import uvicorn

    from fordring.entrypoints.api.app import SETTINGS_ENV, create_app, settings_for_workers
    from fordring.entrypoints.api.processes import OwnSockets, listening_sockets

    g.app.api_hmac_key  # noqa: B018 - refused at start, not at the first request
    g.app.uow_factory  # noqa: B018 - an uninitialised database is refused at start too
    click.echo(f"fordring API on http://{host}:{port}/api/v1 (reference: /api/docs)", err=True)
    click.echo(f"fordring portal on http://{host}:{port}/portal/ (docs/portal.md)", err=True)
    # No access log: a line per request costs as much as a small request (docs/api.md).
    common: dict[str, Any] = {"host": host, "port": port, "log_level": "warning"}
    common["access_log"] = False
    if forwarded_allow_ips:  # uvicorn then takes the client's address from the proxy
        common["proxy_headers"], common["forwarded_allow_ips"] = True, forwarded_allow_ips
    # HTTP parsed by httptools (C) and the event loop of uvloop (libuv), not h11 and
    # asyncio's own loop, which spend more of a small request's CPU (docs/performance.md).
    common["http"], common["loop"] = "httptools", "uvloop"
    if workers == 1:
        uvicorn.run(create_app(g.app), **common)
        return
    os.environ[SETTINGS_ENV] = settings_for_workers(g.app)  # the processes' settings
    app = "fordring.entrypoints.api.app:app_of_environment"
    config = uvicorn.Config(app, factory=True, workers=workers, **common)
    try:
        sockets = listening_sockets(host, port, workers)
    except OSError as error:
        raise click.ClickException(f"--port: cannot listen on {host}:{port}: {error}") from None
    # each process on a socket of its own, so the connections are spread among them
    with contextlib.ExitStack() as closing:
        for sock in sockets:
            closing.enter_context(sock)
        with contextlib.suppress(KeyboardInterrupt):
            OwnSockets(config, sockets).run()


COMMANDS: list[click.Command] = [serve]
