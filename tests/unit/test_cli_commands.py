"""`fordring --help` lists every command without importing one (issue 15 point 5): the
table in entrypoints/cli/commands.py must say what the commands themselves say."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys

import click
from click.testing import CliRunner

from fordring.entrypoints import cli as cli_package
from fordring.entrypoints.cli.commands import TOP_LEVEL, load
from fordring.entrypoints.cli.main import cli


def test_the_table_names_every_command_with_its_own_short_help() -> None:
    made: dict[str, click.Command] = {}
    for module in pkgutil.iter_modules(cli_package.__path__):
        loaded = importlib.import_module(f"fordring.entrypoints.cli.{module.name}")
        for command in getattr(loaded, "COMMANDS", []):
            made[command.name] = command
    assert sorted(made) == sorted(TOP_LEVEL)
    for name, command in made.items():
        assert TOP_LEVEL[name].summary == command.get_short_help_str(limit=1000), name
        assert load(name) is command


def test_subcommands_added_by_other_modules_are_there_when_the_group_loads() -> None:
    for name, entry in TOP_LEVEL.items():
        group = load(name)
        if isinstance(group, click.Group) and len(entry.modules) > 1:
            added = [
                c
                for m in entry.modules[1:]
                for c in vars(importlib.import_module(f"fordring.entrypoints.cli.{m}")).values()
                if isinstance(c, click.Command) and c.name in group.commands
            ]
            assert added, name


def test_help_lists_the_commands() -> None:
    shown = CliRunner().invoke(cli, ["--help"]).output
    for name in TOP_LEVEL:
        assert f"  {name} " in shown


def test_help_imports_neither_the_database_nor_the_commands() -> None:
    probe = (
        "import sys\n"
        "from fordring.entrypoints.cli.main import cli\n"
        "try:\n"
        "    cli(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = [m for m in ('sqlalchemy', 'alembic', 'lxml', 'typst', 'fordring.bootstrap',"
        " 'fordring.entrypoints.cli.invoice') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert "HEAVY []" in done.stdout, done.stdout
