"""The API reference made from the OpenAPI document: a self-contained HTML page for
`/api/docs` (no CDN: it works offline) and the Markdown of docs/api.md's reference
section (`python -m fordring.entrypoints.api.reference` prints it; a test compares)."""

from __future__ import annotations

import html
import json
from typing import Any

METHODS = ("get", "post", "patch", "put", "delete")


def operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(METHOD, path, operation) in path order."""
    found = []
    for path, item in sorted(spec["paths"].items()):
        for method in METHODS:
            if method in item:
                found.append((method.upper(), path, item[method]))
    return found


def _params(op: dict[str, Any]) -> list[str]:
    out = []
    for p in op.get("parameters", []):
        required = " (required)" if p.get("required") else ""
        text = p.get("description", "")
        out.append(f"`{p['name']}` in {p['in']}{required}{': ' + text if text else ''}")
    return out


def _schema_name(ref: dict[str, Any] | None) -> str:
    if not ref:
        return ""
    if "$ref" in ref:
        return str(ref["$ref"]).rsplit("/", 1)[-1]
    return str(ref.get("type", ""))


def _body(op: dict[str, Any]) -> str:
    content = op.get("requestBody", {}).get("content", {})
    return _schema_name(content.get("application/json", {}).get("schema"))


def _answers(op: dict[str, Any]) -> list[str]:
    out = []
    for status, response in sorted(op.get("responses", {}).items()):
        content = response.get("content", {})
        kinds = ", ".join(
            f"{kind} {_schema_name(c.get('schema'))}".strip() for kind, c in content.items()
        )
        out.append(f"{status}{': ' + kinds if kinds else ''}")
    return out


def markdown(spec: dict[str, Any]) -> str:
    lines = [f"Generated from `/api/v1/openapi.json` (OpenAPI {spec['openapi']}).", ""]
    for method, path, op in operations(spec):
        lines.append(f"### `{method} {path}`")
        lines.append("")
        lines.append(op.get("summary", ""))
        if op.get("description"):
            lines += ["", " ".join(op["description"].split())]
        lines.append("")
        for p in _params(op):
            lines.append(f"- parameter {p}")
        if _body(op):
            lines.append(f"- body: `{_body(op)}`")
        lines.append(f"- answers: {'; '.join(_answers(op))}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def page(spec: dict[str, Any]) -> str:
    """The reference as one HTML page (schemas shown as JSON)."""
    esc = html.escape
    parts = [
        "<!doctype html><html lang=en><meta charset=utf-8>",
        f"<title>{esc(spec['info']['title'])}</title>",
        "<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60em;margin:2em auto;"
        "padding:0 1em}code,pre{background:#f4f4f4}pre{padding:.5em;overflow:auto}"
        "h2{border-top:1px solid #ccc;padding-top:.5em}</style>",
        f"<h1>{esc(spec['info']['title'])} {esc(spec['info']['version'])}</h1>",
        "<p>OpenAPI: <a href=/api/v1/openapi.json>/api/v1/openapi.json</a></p>",
    ]
    for method, path, op in operations(spec):
        parts.append(f"<h2><code>{method} {esc(path)}</code></h2>")
        parts.append(f"<p>{esc(op.get('summary', ''))}</p>")
        if op.get("description"):
            parts.append(f"<p>{esc(op['description'])}</p>")
        items = [*(f"parameter {p}" for p in _params(op))]
        if _body(op):
            items.append(f"body: {_body(op)}")
        items.append("answers: " + "; ".join(_answers(op)))
        parts.append("<ul>" + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>")
    parts.append("<h2>Schemas</h2>")
    for name, schema in sorted(spec.get("components", {}).get("schemas", {}).items()):
        parts.append(f"<h3 id={esc(name)}>{esc(name)}</h3>")
        parts.append(f"<pre>{esc(json.dumps(schema, indent=2, ensure_ascii=False))}</pre>")
    return "\n".join(parts)


if __name__ == "__main__":
    from fordring.entrypoints.api.app import openapi_document

    print(markdown(openapi_document()), end="")
