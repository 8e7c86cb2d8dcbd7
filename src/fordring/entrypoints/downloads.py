"""Handing out a kept file (the debtor's attached document) as a download, the same way
for the portal and the API: never rendered, its type as found, nosniff, a sandbox."""

from __future__ import annotations

from urllib.parse import quote

from starlette.responses import Response


def attachment_response(name: str, media_type: str, content: bytes) -> Response:
    """A file to download, never to render: `attachment`, its type as found, nosniff, and a
    sandbox in case a browser renders it anyway (the API hands it out the same way)."""
    fallback = "".join(c if (c.isascii() and c.isalnum()) or c in "._-" else "_" for c in name)
    disposition = f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"
    return Response(
        content,
        media_type=media_type,
        headers={
            "Content-Disposition": disposition,
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "sandbox; default-src 'none'",
            "Cache-Control": "no-store",
        },
    )
