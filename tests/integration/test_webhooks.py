"""Signed webhooks (issue 17) against a real local HTTP receiver that verifies every
signature: what a case's life sends, once each on 2xx; retries after 500s and timeouts on
the schedule; 410 disables; private addresses refused; one company's endpoint never gets
another's events; two senders at once send each delivery once."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from tests.builders import ORGNR, OTHER_ORGNR, cli_case_1, cli_company, cli_other_company
from tests.conftest import Run
from tests.scenarios.bankfiles import Paid, ocr_file
from tests.webhook_receiver import STALL, Receiver, receiver

from fordring import bootstrap
from fordring.adapters.db.engine import open_database
from fordring.domain.webhooks import RETRY_WAITS
from fordring.services.ports.webhooks import DeliveryOutcome
from fordring.services.webhooks import WebhookTools, send_due

TIMEOUT = 1.0  # seconds the receiver has in the tests of timeouts
CLI_TIMEOUT = 10  # seconds it has elsewhere: a busy machine must not fail a prompt answer


@pytest.fixture
def hooked(run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Receiver]:
    """The test company and a receiver on 127.0.0.1 (private addresses allowed)."""
    monkeypatch.setenv("FORDRING_WEBHOOK_ALLOW_PRIVATE", "1")
    monkeypatch.setenv("FORDRING_WEBHOOK_TIMEOUT", str(CLI_TIMEOUT))
    monkeypatch.setenv("FORDRING_OUTBOX", str(tmp_path / "outbox"))
    cli_company(run)
    with receiver() as got:
        yield got


def _json(run: Run, *args: str, date: str = "2026-03-02") -> Any:
    done = run(*args, date=date)
    assert done.exit_code == 0, done.output
    return json.loads(done.output)


def _add(run: Run, got: Receiver, *events: str, company: tuple[str, ...] = ()) -> int:
    options = [x for e in events for x in ("--event", e)]
    made = _json(run, *company, "webhooks", "add", got.url, *options)
    assert made["secret"].startswith("whsec_")
    got.secret = made["secret"]
    return int(made["id"])


class Clock:
    """The sender's clock in a test: moved on by hand past the retry waits."""

    def __init__(self) -> None:
        self.moment = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.moment


def _tools(database_url: str, clock: Clock, **settings: Any) -> WebhookTools:
    chosen = bootstrap.Settings(
        database_url=database_url,
        webhook_timeout=settings.get("timeout", TIMEOUT),
        webhook_allow_private=settings.get("allow_private", True),
    )
    return replace(bootstrap.Application(chosen).webhook_tools, now=clock, jitter=lambda: 0.0)


def _rows(database_url: str, sql: str) -> list[Any]:
    with open_database(database_url).engine.connect() as c:
        return list(c.execute(text(sql)))


def test_a_cases_events_reach_the_receiver_signed_and_once(run: Run, hooked: Receiver) -> None:
    _add(run, hooked, "case.registered", "letter.sent", "fee.charged", "invoice.issued")
    cli_case_1(run)  # invoice 1 issued 02-16, case 1 registered 03-05

    done = _json(run, "run", "--to", "2026-04-30", date="2026-03-05")

    assert done["webhooks"] == {"delivered": 5, "retrying": 0, "failed": 0, "disabled": []}
    assert hooked.bad_signatures == 0
    assert hooked.types() == [
        "case.registered",
        "fee.charged",  # the notice's fee
        "invoice.issued",
        "letter.sent",  # the reminder
        "letter.sent",  # the notice
    ]
    ids = [r.msg_id for r in hooked.got]
    assert len(ids) == len(set(ids)) == 5  # each once
    by_type = {r.body["type"]: r.body for r in hooked.delivered()}
    fee = by_type["fee.charged"]
    assert fee["data"]["case"] == 1 and fee["data"]["kind"] == "send_notice"
    assert fee["data"]["payload"]["charged"] == {"fee": "37.50"}  # a string, never a float
    assert fee["data"]["day"] == "2026-03-24"
    assert by_type["invoice.issued"]["data"]["total"] == "2500.00"
    assert set(fee) == {"type", "timestamp", "data"}
    assert _json(run, "webhooks", "send") == {
        "delivered": 0,
        "retrying": 0,
        "failed": 0,
        "disabled": [],
    }
    shown = _json(run, "webhooks", "deliveries")
    assert [d["state"] for d in shown] == ["delivered"] * 5


def test_nothing_is_written_for_events_no_endpoint_wants(
    run: Run, hooked: Receiver, database_url: str
) -> None:
    _add(run, hooked, "settlement.made")
    cli_case_1(run)
    _json(run, "run", "--to", "2026-04-30", date="2026-03-05")
    assert _rows(database_url, "SELECT count(*) FROM webhook_message")[0][0] == 0
    assert hooked.got == []


def test_a_500_and_a_timeout_are_retried_on_the_schedule_until_a_2xx(
    run: Run, hooked: Receiver, database_url: str
) -> None:
    endpoint = _add(run, hooked, "case.registered")
    hooked.tolerance = None  # the sender's clock is the test's
    hooked.script = [500, STALL]
    hooked.stall_for = TIMEOUT * 4
    cli_case_1(run)
    clock = Clock()
    tools = _tools(database_url, clock)

    first = send_due(tools)
    assert (first.delivered, first.retrying) == (0, 1)
    clock.moment += RETRY_WAITS[0] - timedelta(seconds=1)
    assert send_due(tools).total == 0  # not due yet
    clock.moment += timedelta(seconds=1)
    second = send_due(tools)  # the receiver stalls past the timeout
    assert (second.delivered, second.retrying) == (0, 1)
    (shown,) = _json(run, "webhooks", "deliveries", "--endpoint", str(endpoint))
    assert shown["attempts"] == 2 and "no answer within 1 s" in shown["last_error"]
    clock.moment += RETRY_WAITS[1]
    assert send_due(tools).delivered == 1
    assert [r.answered for r in hooked.got] == [500, STALL, 200]
    assert len({r.msg_id for r in hooked.got}) == 1  # the same message each time
    assert len({json.dumps(r.body) for r in hooked.got}) == 1
    assert hooked.bad_signatures == 0


def test_the_retries_run_out_after_about_a_day_and_the_delivery_fails(
    run: Run, hooked: Receiver, database_url: str
) -> None:
    _add(run, hooked, "case.registered")
    hooked.tolerance = None
    hooked.usual = 503
    cli_case_1(run)
    clock = Clock()
    tools = _tools(database_url, clock)
    start = clock.moment
    for wait in (timedelta(0), *RETRY_WAITS):
        clock.moment += wait
        assert send_due(tools).total == 1
    assert len(hooked.got) == len(RETRY_WAITS) + 1
    assert timedelta(hours=27) < clock.moment - start < timedelta(hours=28)
    (failed,) = _json(run, "webhooks", "deliveries", "--failed")
    assert failed["state"] == "failed" and failed["last_status"] == 503
    clock.moment += timedelta(days=2)
    assert send_due(tools).total == 0


def test_410_disables_the_endpoint_and_its_events_stop(
    run: Run, hooked: Receiver, database_url: str
) -> None:
    endpoint = _add(run, hooked, "case.registered", "letter.sent")
    hooked.usual = 410
    cli_case_1(run)
    done = _json(run, "webhooks", "send")
    assert done["disabled"] == [endpoint] and done["failed"] == 1
    (shown,) = _json(run, "webhooks", "list")
    assert not shown["enabled"] and "410" in shown["disabled_reason"]
    _json(run, "run", "--to", "2026-04-30", date="2026-03-05")  # letters: none queued now
    assert len(hooked.got) == 1
    assert _rows(database_url, "SELECT count(*) FROM webhook_delivery")[0][0] == 1
    hooked.usual = 200
    _json(run, "webhooks", "enable", str(endpoint))
    _json(run, "webhooks", "test", str(endpoint))
    assert hooked.types() == ["webhook.test"]


def test_a_loopback_endpoint_is_refused_unless_allowed(
    run: Run, hooked: Receiver, database_url: str
) -> None:
    _add(run, hooked, "case.registered")
    cli_case_1(run)
    clock = Clock()
    report = send_due(_tools(database_url, clock, allow_private=False))
    assert report.retrying == 1
    assert hooked.got == []
    (shown,) = _json(run, "webhooks", "deliveries")
    assert "refused: 127.0.0.1 resolves to 127.0.0.1" in shown["last_error"]


def test_a_bad_endpoint_is_refused_naming_the_field_and_nothing_is_written(
    run: Run, hooked: Receiver, database_url: str
) -> None:
    done = run("webhooks", "add", "ftp://example.com/x", "--event", "case.opened")
    assert done.exit_code == 2
    assert "url:" in done.output and "event:" in done.output and "case.opened" in done.output
    assert _rows(database_url, "SELECT count(*) FROM webhook_endpoint")[0][0] == 0
    assert run("webhooks", "disable", "7").exit_code != 0


def test_company_as_endpoint_never_gets_company_bs_events(run: Run, hooked: Receiver) -> None:
    cli_other_company(run)
    ours, other = ("--company", ORGNR), ("--company", OTHER_ORGNR)
    with receiver() as theirs:
        _add(run, hooked, "case.registered", "invoice.issued", company=ours)
        _add(run, theirs, "case.registered", "invoice.issued", company=other)
        cli_case_1(run)
        cli_case_1(run, OTHER_ORGNR)
        _json(run, *other, "invoice", "create", "--customer", "10000", "--line", "T;1;100;25")
        _json(run, "webhooks", "send")
        assert hooked.types() == ["case.registered", "invoice.issued"]
        assert theirs.types() == ["case.registered"] + ["invoice.issued"] * 2
        assert hooked.bad_signatures == theirs.bad_signatures == 0  # each its own secret
        assert [d["type"] for d in _json(run, *ours, "webhooks", "deliveries")] == [
            "case.registered",
            "invoice.issued",
        ]
        assert len(_json(run, *other, "webhooks", "deliveries")) == 3


def test_two_senders_at_once_send_each_delivery_once(
    run: Run, hooked: Receiver, database_url: str
) -> None:
    _add(run, hooked, "case.registered", "invoice.issued")
    for n in range(6):
        cli_case_1(run) if n == 0 else None
        done = run("invoice", "create", "--customer", "10000", "--line", "Time;1;100;25")
        assert done.exit_code == 0, done.output
    hooked.delay = 0.05
    clock = Clock()
    reports = []

    errors: list[BaseException] = []

    def sender() -> None:
        try:  # a generous timeout: a busy machine must not make a slow answer a failure
            reports.append(send_due(_tools(database_url, clock, timeout=10)))
        except BaseException as error:
            errors.append(error)
            raise

    threads = [threading.Thread(target=sender) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert sum(r.delivered for r in reports) == len(hooked.got) == 8
    assert len({r.msg_id for r in hooked.got}) == 8


def test_a_redirect_is_not_followed_and_counts_as_a_failure(run: Run, hooked: Receiver) -> None:
    _add(run, hooked, "case.registered")
    hooked.usual = 307
    cli_case_1(run)
    assert _json(run, "webhooks", "send")["retrying"] == 1
    assert len(hooked.got) == 1  # not asked again at the new location
    (shown,) = _json(run, "webhooks", "deliveries")
    assert shown["last_status"] == 307 and shown["state"] == "waiting"


def test_payments_matched_outside_a_case_send_payment_matched_once_each(
    run: Run, hooked: Receiver, tmp_path: Path
) -> None:
    """Registered, imported from a bank file and matched by hand: each payment on invoices
    in no case is a `payment.matched` of its own; a payment on a case is its history's."""
    _add(run, hooked, "payment.matched")
    cli_case_1(run)  # invoice 1 in case 1
    for _ in range(3):  # invoices 2, 3 and 4: in no case
        made = run("invoice", "create", "--customer", "10000", "--line", "Vare;1;400;25")
        assert made.exit_code == 0, made.output
    kid = _json(run, "invoice", "show", "3")["kid"]
    _json(run, "payments", "register", "--amount", "500", "--invoice", "2")  # payment 1
    _json(run, "payments", "register", "--amount", "300", "--invoice", "1", date="2026-03-06")
    paid = [Paid("200.00", kid, "2026-03-06"), Paid("120.00", "0000009993", "2026-03-06")]
    _json(run, "payments", "import", str(ocr_file(tmp_path / "OCR.txt", paid)), date="2026-03-06")
    _json(run, "payments", "match", "4", "4", date="2026-03-09")  # payment 4: no such KID
    assert _json(run, "webhooks", "send")["delivered"] == 4
    assert hooked.bad_signatures == 0
    data = sorted((r.body["data"] for r in hooked.delivered()), key=lambda d: "case" not in d)
    on_case, *outside = data
    assert on_case["case"] == 1 and on_case["kind"] == "payment"
    assert sorted((d["invoices"], d["amount"], d["matched_by"]) for d in outside) == [
        ([2], "500.00", "text"),  # registered with the invoice number
        ([3], "200.00", "invoice_kid"),
        ([4], "120.00", "manual"),
    ]
    (by_hand,) = [d for d in outside if d["matched_by"] == "manual"]
    assert by_hand == {
        "payment": 4,
        "received_on": "2026-03-06",
        "matched_on": "2026-03-09",
        "amount": "120.00",
        "matched_by": "manual",
        "invoices": [4],
        "principal": "120.00",
        "credit": "0.00",
        "kid": "0000009993",
    }


def test_a_sender_whose_lease_ran_out_overwrites_nothing(
    run: Run, hooked: Receiver, database_url: str
) -> None:
    """Sender 1 claims a delivery and is slow; its lease runs out, sender 2 claims it again
    and it is delivered. Sender 1's late 410 then neither marks the delivery failed nor
    disables the endpoint: only the latest claim records."""
    _add(run, hooked, "case.registered")
    cli_case_1(run)
    factory = bootstrap.uow_factory(database_url)
    now = datetime.now(UTC)
    with factory.unscoped() as uow:
        (first,) = uow.webhooks.claim_due(now, 10, now + timedelta(seconds=35))
        uow.commit()
    later = now + timedelta(seconds=40)
    with factory.unscoped() as uow:
        (second,) = uow.webhooks.claim_due(later, 10, later + timedelta(seconds=35))
        uow.commit()
    assert (first.id, first.attempts, second.attempts) == (second.id, 1, 2)
    done = DeliveryOutcome(second.id, second.endpoint_id, 2, "delivered", None, 200, "", later)
    gone = DeliveryOutcome(
        first.id, first.endpoint_id, 1, "failed", None, 410, "gone", later, disable="410"
    )
    with factory.unscoped() as uow:
        uow.webhooks.record([done])
        uow.commit()
    with factory.unscoped() as uow:
        uow.webhooks.record([gone])
        uow.commit()
    assert [
        tuple(r) for r in _rows(database_url, "SELECT state, last_status FROM webhook_delivery")
    ] == [("delivered", 200)]
    assert [r[0] for r in _rows(database_url, "SELECT enabled FROM webhook_endpoint")] in (
        [True],
        [1],
    )


def test_a_disabled_endpoints_deliveries_are_held_and_go_again_when_enabled(
    run: Run, hooked: Receiver, database_url: str
) -> None:
    """A 410 (or `webhooks disable`) holds the endpoint's waiting deliveries: the sender's
    claim never reads them, so they do not lie in front of every claim; `webhooks enable`
    makes them waiting again, due as they were."""
    endpoint = _add(run, hooked, "case.registered", "invoice.issued")
    cli_case_1(run)
    states = "SELECT state FROM webhook_delivery ORDER BY id"
    assert [r[0] for r in _rows(database_url, states)] == ["waiting", "waiting"]
    factory = bootstrap.uow_factory(database_url)
    now = datetime.now(UTC)
    with factory.unscoped() as uow:
        (first,) = uow.webhooks.claim_due(now, 1, now + timedelta(seconds=35))
        uow.commit()
    gone = DeliveryOutcome(
        first.id, first.endpoint_id, 1, "failed", None, 410, "gone", now, disable="410"
    )
    with factory.unscoped() as uow:
        uow.webhooks.record([gone])
        uow.commit()
    assert [r[0] for r in _rows(database_url, states)] == ["failed", "held"]
    (held,) = [d for d in _json(run, "webhooks", "deliveries") if d["state"] == "held"]
    assert held["next_at"] is None
    with factory.unscoped() as uow:
        assert uow.webhooks.claim_due(now + timedelta(hours=1), 10, now) == []
    _json(run, "webhooks", "enable", str(endpoint))
    assert [r[0] for r in _rows(database_url, states)] == ["failed", "waiting"]
    assert _json(run, "webhooks", "send")["delivered"] == 1
    assert hooked.types() == ["case.registered"]
    # Disabled by hand while a delivery is being sent, which then fails for a retry: held
    # too, not waiting for a disabled endpoint.
    made = run("invoice", "create", "--customer", "10000", "--line", "Time;1;100;25")
    assert made.exit_code == 0, made.output
    with factory.unscoped() as uow:
        (sending,) = uow.webhooks.claim_due(now + timedelta(hours=1), 10, now)
        uow.commit()
    _json(run, "webhooks", "disable", str(endpoint))
    retry = DeliveryOutcome(sending.id, sending.endpoint_id, 1, "waiting", now, 500, "busy", now)
    with factory.unscoped() as uow:
        uow.webhooks.record([retry])
        uow.commit()
    assert [r[0] for r in _rows(database_url, states)][-1] == "held"
    _json(run, "webhooks", "enable", str(endpoint))
    assert [r[0] for r in _rows(database_url, states)][-1] == "waiting"
