"""The creditor portal (SPEC I3, docs/portal.md): server-rendered pages (Jinja2, htmx) for
a company's users, served by `fordring serve` under /portal next to the API."""
