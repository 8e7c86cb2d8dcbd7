"""What a job finds in its context: the Application the worker built at start."""

from __future__ import annotations

from typing import TYPE_CHECKING

from procrastinate import JobContext

if TYPE_CHECKING:
    from fordring.bootstrap import Application


def application_of(context: JobContext) -> Application:
    """The Application the worker built at start (`fordring worker`)."""
    built: Application = context.additional_context["fordring"]
    return built
