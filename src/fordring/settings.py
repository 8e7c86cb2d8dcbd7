"""Every setting fordring reads, each from one environment variable (or the command-line
option that overrides it): the one place that says what can be configured and where from.
The bootstrap builds the application from a `Settings`; nothing else reads the environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace

from fordring.adapters.db.engine import DEFAULT_DATABASE_URL
from fordring.domain.errors import InvalidInput
from fordring.services.api_requests import KEEP_RESPONSES_DAYS

DATABASE_URL_ENV = "FORDRING_DATABASE_URL"
OUTBOX_ENV = "FORDRING_OUTBOX"
RATES_FILE_ENV = "FORDRING_RATES_FILE"
SMTP_ENV = "FORDRING_SMTP_URL"
MAIL_PICKUP_ENV = "FORDRING_MAIL_PICKUP"  # a folder a mail server picks .eml files up from
ACCESS_POINT_ENV = "FORDRING_ACCESS_POINT"  # a folder, or an http(s):// access point API
ACCESS_POINT_TOKEN_ENV = "FORDRING_ACCESS_POINT_TOKEN"
PEPPOL_LIST_ENV = "FORDRING_PEPPOL_LIST"  # an offline participant list instead of the SML
PEPPOL_ZONE_ENV = "FORDRING_PEPPOL_ZONE"  # the SML zone (default: production)
PEPPOL_DNS_ENV = "FORDRING_PEPPOL_DNS"  # a nameserver "ip[:port]" to ask instead
DAY_AT_ENV = "FORDRING_DAY_AT"  # HH:MM Oslo time the schedule queues the business day

DEFAULT_DAY_AT = "07:30"  # after the banks' morning files (docs/workers.md)
WEBHOOK_TIMEOUT_ENV = "FORDRING_WEBHOOK_TIMEOUT"  # seconds a receiver has to answer
# "1": webhooks may go to private, loopback and link-local addresses (tests, closed networks)
WEBHOOK_ALLOW_PRIVATE_ENV = "FORDRING_WEBHOOK_ALLOW_PRIVATE"
API_KEY_SECRET_ENV = "FORDRING_API_KEY_SECRET"  # the HMAC key API keys are stored under
# days the stored responses of idempotent API requests are kept (docs/operations.md)
KEEP_RESPONSES_ENV = "FORDRING_KEEP_RESPONSES_DAYS"
# seconds a web process trusts a key it verified before asking the database again (0: never)
API_KEY_CACHE_ENV = "FORDRING_API_KEY_CACHE_SECONDS"
DEFAULT_API_KEY_CACHE = 5.0
# "1": the portal's cookies are sent over https only (Secure); set it when `fordring serve`
# is behind an https proxy (a request that arrives over https gets them Secure anyway)
SECURE_COOKIES_ENV = "FORDRING_SECURE_COOKIES"
# the folder the debtor's attached files are kept in (default: `attachments` in the outbox)
ATTACHMENTS_ENV = "FORDRING_ATTACHMENTS"
# bytes an attached file may have (the debtor's objection; the upload is refused above it)
ATTACHMENT_MAX_ENV = "FORDRING_ATTACHMENT_MAX_BYTES"
DEFAULT_ATTACHMENT_MAX = 10 * 1024 * 1024
# the debtor's page (docs/debtor_page.md): wrong PINs in a row that lock a code, and for
# how many minutes; the address letters print for it (else PUBLIC_URL + /d)
DEBTOR_MAX_TRIES_ENV = "FORDRING_DEBTOR_MAX_TRIES"
DEBTOR_LOCK_MINUTES_ENV = "FORDRING_DEBTOR_LOCK_MINUTES"
DEBTOR_PAGE_ADDRESS_ENV = "FORDRING_DEBTOR_PAGE_ADDRESS"
# the key the debtor's PINs are kept under (HMAC-SHA256; decision 0015): at least 32
# characters, the same on every machine; unset, `debtor-pin.key` in the outbox is made
DEBTOR_PIN_KEY_ENV = "FORDRING_DEBTOR_PIN_KEY"
PUBLIC_URL_ENV = "FORDRING_PUBLIC_URL"  # where `fordring serve` is reached, e.g. https://x.no

DEFAULT_OUTBOX = "outbox"
DEFAULT_WEBHOOK_TIMEOUT = 15.0


@dataclass(frozen=True, slots=True)
class Settings:
    """What the application is built from; an empty setting means "not configured"."""

    database_url: str = DEFAULT_DATABASE_URL  # FORDRING_DATABASE_URL, --db
    outbox: str = DEFAULT_OUTBOX  # letters to print, collection lists, statements
    rates_file: str | None = None  # the operator's law rates (docs/law.md)
    smtp_url: str | None = None  # smtp://host:port?from=…: e-mail is sent
    mail_pickup: str | None = None  # else e-mail is written to this folder
    access_point: str | None = None  # EHF is handed to this folder or HTTP API
    access_point_token: str | None = None
    peppol_list: str | None = None  # who takes EHF: this offline list ...
    peppol_zone: str | None = None  # ... else the SML in this zone
    peppol_dns: str | None = None  # ... asked through this nameserver
    day_at: str = DEFAULT_DAY_AT  # FORDRING_DAY_AT, --day-at: the scheduled business day
    webhook_timeout: float = DEFAULT_WEBHOOK_TIMEOUT  # seconds
    webhook_allow_private: bool = False
    # PDF rendering processes per fordring process (None: the renderers' default, 2;
    # 1: in the process itself): `fordring worker --render-processes`
    render_processes: int | None = None
    api_key_secret: str | None = None  # HMAC key of API key secrets (docs/api.md)
    keep_responses_days: int = KEEP_RESPONSES_DAYS  # then forgotten daily (docs/api.md)
    api_key_cache_seconds: float = DEFAULT_API_KEY_CACHE  # a revoked key's grace (docs/api.md)
    secure_cookies: bool = False  # the portal's cookies Secure (docs/portal.md)
    attachments: str | None = None  # the debtor's files (None: `attachments` in the outbox)
    attachment_max_bytes: int = DEFAULT_ATTACHMENT_MAX
    debtor_max_tries: int = 5  # wrong PINs in a row lock a code (docs/debtor_page.md)
    debtor_lock_minutes: int = 30  # ... this long
    public_url: str | None = None  # the server's public base URL
    debtor_page_address: str | None = None  # printed on letters (default public_url + /d)
    debtor_pin_key: str | None = None  # PINs' HMAC key (None: `debtor-pin.key` in the outbox)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ

        def get(name: str) -> str | None:
            return env.get(name) or None

        return cls(
            database_url=get(DATABASE_URL_ENV) or DEFAULT_DATABASE_URL,
            outbox=get(OUTBOX_ENV) or DEFAULT_OUTBOX,
            rates_file=get(RATES_FILE_ENV),
            smtp_url=get(SMTP_ENV),
            mail_pickup=get(MAIL_PICKUP_ENV),
            access_point=get(ACCESS_POINT_ENV),
            access_point_token=get(ACCESS_POINT_TOKEN_ENV),
            peppol_list=get(PEPPOL_LIST_ENV),
            peppol_zone=get(PEPPOL_ZONE_ENV),
            peppol_dns=get(PEPPOL_DNS_ENV),
            day_at=get(DAY_AT_ENV) or DEFAULT_DAY_AT,
            webhook_timeout=float(get(WEBHOOK_TIMEOUT_ENV) or DEFAULT_WEBHOOK_TIMEOUT),
            webhook_allow_private=get(WEBHOOK_ALLOW_PRIVATE_ENV) in ("1", "true", "yes"),
            api_key_secret=get(API_KEY_SECRET_ENV),
            keep_responses_days=_days(get(KEEP_RESPONSES_ENV)),
            api_key_cache_seconds=float(get(API_KEY_CACHE_ENV) or DEFAULT_API_KEY_CACHE),
            secure_cookies=get(SECURE_COOKIES_ENV) in ("1", "true", "yes"),
            attachments=get(ATTACHMENTS_ENV),
            attachment_max_bytes=_bytes(get(ATTACHMENT_MAX_ENV)),
            debtor_max_tries=_whole(DEBTOR_MAX_TRIES_ENV, get(DEBTOR_MAX_TRIES_ENV), 5, 1, 100),
            debtor_lock_minutes=_whole(
                DEBTOR_LOCK_MINUTES_ENV, get(DEBTOR_LOCK_MINUTES_ENV), 30, 1, 10080
            ),
            public_url=get(PUBLIC_URL_ENV),
            debtor_page_address=get(DEBTOR_PAGE_ADDRESS_ENV),
            debtor_pin_key=get(DEBTOR_PIN_KEY_ENV),
        )

    @property
    def attachment_folder(self) -> str:
        """Where the debtor's attached files are kept."""
        return self.attachments or os.path.join(self.outbox, "attachments")

    def overridden(
        self,
        *,
        database_url: str | None = None,
        outbox: str | None = None,
        rates_file: str | None = None,
        render_processes: int | None = None,
    ) -> Settings:
        """These settings with the options given on the command line (None: not given)."""
        return replace(
            self,
            database_url=database_url or self.database_url,
            outbox=outbox or self.outbox,
            rates_file=rates_file or self.rates_file,
            render_processes=render_processes or self.render_processes,
        )


def _days(text: str | None) -> int:
    """`FORDRING_KEEP_RESPONSES_DAYS`: 1 to 3650 days (unset: the default)."""
    if text is None:
        return KEEP_RESPONSES_DAYS
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= 3650:
        raise InvalidInput.one(KEEP_RESPONSES_ENV, f"{text!r}: give whole days, 1 to 3650")
    return int(text)


def _bytes(text: str | None) -> int:
    """`FORDRING_ATTACHMENT_MAX_BYTES`: 1 KiB to 100 MiB (unset: 10 MiB)."""
    if text is None:
        return DEFAULT_ATTACHMENT_MAX
    if not (text.isascii() and text.isdigit()) or not 1024 <= int(text) <= 100 * 1024 * 1024:
        reason = f"{text!r}: give bytes, 1024 to 104857600"
        raise InvalidInput.one(ATTACHMENT_MAX_ENV, reason)
    return int(text)


def _whole(name: str, text: str | None, default: int, least: int, most: int) -> int:
    """A whole-number setting from `least` to `most` (unset: `default`)."""
    if text is None:
        return default
    if not (text.isascii() and text.isdigit()) or not least <= int(text) <= most:
        raise InvalidInput.one(name, f"{text!r}: give a whole number, {least} to {most}")
    return int(text)
