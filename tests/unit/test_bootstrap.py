"""The bootstrap: every setting read from its one environment variable, and the
application built once from them, each part made when first used and then kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from fordring import bootstrap
from fordring.bootstrap import Application, Settings
from fordring.domain.errors import InvalidInput


def test_each_setting_comes_from_its_environment_variable() -> None:
    env = {
        "FORDRING_DATABASE_URL": "sqlite:///x.db",
        "FORDRING_OUTBOX": "/srv/outbox",
        "FORDRING_RATES_FILE": "rates.toml",
        "FORDRING_SMTP_URL": "smtp://mail:25",
        "FORDRING_MAIL_PICKUP": "/srv/mail",
        "FORDRING_ACCESS_POINT": "https://ap.example",
        "FORDRING_ACCESS_POINT_TOKEN": "t",
        "FORDRING_PEPPOL_LIST": "list.txt",
        "FORDRING_PEPPOL_ZONE": "acc.edelivery.tech.ec.europa.eu",
        "FORDRING_PEPPOL_DNS": "127.0.0.1:53",
        "FORDRING_KEEP_RESPONSES_DAYS": "30",
    }
    assert Settings.from_env(env) == Settings(
        database_url="sqlite:///x.db",
        outbox="/srv/outbox",
        rates_file="rates.toml",
        smtp_url="smtp://mail:25",
        mail_pickup="/srv/mail",
        access_point="https://ap.example",
        access_point_token="t",
        peppol_list="list.txt",
        peppol_zone="acc.edelivery.tech.ec.europa.eu",
        peppol_dns="127.0.0.1:53",
        keep_responses_days=30,
    )


def test_nothing_configured_gives_the_defaults_and_options_override_the_environment() -> None:
    empty = Settings.from_env({"FORDRING_SMTP_URL": ""})
    assert empty == Settings()
    assert (empty.database_url, empty.outbox, empty.smtp_url) == (
        bootstrap.DEFAULT_DATABASE_URL,
        "outbox",
        None,
    )
    given = empty.overridden(outbox="letters", rates_file="r.toml", database_url=None)
    assert (given.outbox, given.rates_file, given.database_url) == (
        "letters",
        "r.toml",
        bootstrap.DEFAULT_DATABASE_URL,
    )


def test_the_application_builds_each_part_once_from_its_settings(tmp_path: Path) -> None:
    url = bootstrap.fresh_sqlite(str(tmp_path / "app.db"))
    settings = Settings(database_url=url, outbox=str(tmp_path / "out"), mail_pickup=str(tmp_path))
    with Application(settings) as app:
        assert app.uow_factory is app.uow_factory
        assert app.rate_book is app.rate_book
        tools = app.day_tools
        assert tools is app.day_tools and tools.channels is app.delivery_channels
        assert tools.channels.letter_pdf is app.letters
        assert tools.channels.mailer is not None  # the pickup folder
        assert tools.channels.access_point is None  # no FORDRING_ACCESS_POINT: no EHF
        assert app.configured() is app
        other = app.configured(outbox=str(tmp_path / "elsewhere"))
        assert other is not app and other.settings.outbox.endswith("elsewhere")


@pytest.mark.parametrize("days", ["0", "x", "3651", "-1", "٣"])
def test_days_kept_of_idempotent_responses_are_whole_and_name_the_setting(days: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        Settings.from_env({"FORDRING_KEEP_RESPONSES_DAYS": days})
    assert refused.value.problems[0].field == "FORDRING_KEEP_RESPONSES_DAYS"
