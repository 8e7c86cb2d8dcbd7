"""Placeholder replaced by the law commands of issue 3."""

from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
