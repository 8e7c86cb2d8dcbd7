"""`fordring serve`: the REST API under uvicorn (docs/api.md)."""

from __future__ import annotations

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
@pass_globals
def serve(g: Globals, host: str, port: int) -> None:
    """Serve the REST API (/api/v1, reference at /api/docs) until stopped (Ctrl-C or
    SIGTERM). Needs FORDRING_API_KEY_SECRET (docs/api.md)."""
    import uvicorn

    from fordring.entrypoints.api.app import create_app

    g.app.api_hmac_key  # noqa: B018 - refused at start, not at the first request
    g.app.uow_factory  # noqa: B018 - an uninitialised database is refused at start too
    click.echo(f"fordring API on http://{host}:{port}/api/v1 (reference: /api/docs)", err=True)
    uvicorn.run(create_app(g.app), host=host, port=port, log_level="warning")


COMMANDS: list[click.Command] = [serve]
