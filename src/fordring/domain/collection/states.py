"""A collection case's states and the transitions allowed between them, as one table.

registered → reminded → notified → listed → in_collection → legal, and closed from any of
them. A paused, objected or payment-plan case returns to the state it left when resumed (a
paused case objected by the debtor keeps the state the pause left);
an objected case that was listed returns to notified, as its notice is sent again (issue
12). Once in collection only a message, an objection, a payment plan or closing is allowed
(SPEC C7).
A payment plan or deferral (issue 19) stops the steps while it runs; broken, the case
resumes the state it left. Objected or paused while a plan runs, the plan ends and the case
later resumes where it stood before the plan.
"""

from __future__ import annotations

from enum import StrEnum

from fordring.domain.errors import RuleViolation


class CaseState(StrEnum):
    REGISTERED = "registered"  # sent to collection, no letter yet
    REMINDED = "reminded"  # fee-free reminder sent
    NOTIFIED = "notified"  # inkassovarsel sent, its deadline running
    LISTED = "listed"  # notice deadline passed: on the creditor's collection list
    IN_COLLECTION = "in_collection"  # handed over: betalingsoppfordring sent
    LEGAL = "legal"  # handed over to legal collection
    PAUSED = "paused"  # stopped by the creditor; closes by itself after 6 months
    OBJECTED = "objected"  # the debtor objected: no fees or steps until resolved
    PLAN = "plan"  # a payment plan or deferral runs: no fees or steps while it is kept
    CLOSED = "closed"


class CaseEvent(StrEnum):
    REMIND = "remind"
    NOTIFY = "notify"
    LIST = "list"
    HAND_OVER = "hand_over"
    TO_LEGAL = "to_legal"
    PAUSE = "pause"
    OBJECT = "object"
    RESUME = "resume"
    CLOSE = "close"
    PLAN = "plan_accepted"  # a payment plan or deferral agreed (its history kind)


VERBS = {
    CaseEvent.REMIND: "be reminded",
    CaseEvent.NOTIFY: "get a collection notice",
    CaseEvent.LIST: "go on the collection list",
    CaseEvent.HAND_OVER: "hand over",
    CaseEvent.TO_LEGAL: "go to legal collection",
    CaseEvent.PAUSE: "pause",
    CaseEvent.OBJECT: "object",
    CaseEvent.RESUME: "resume",
    CaseEvent.CLOSE: "close",
    CaseEvent.PLAN: "get a payment plan",
}

BEFORE_COLLECTION = (
    CaseState.REGISTERED,
    CaseState.REMINDED,
    CaseState.NOTIFIED,
    CaseState.LISTED,
)
OPEN_STATES = (
    *BEFORE_COLLECTION,
    CaseState.IN_COLLECTION,
    CaseState.LEGAL,
    CaseState.PAUSED,
    CaseState.OBJECTED,
    CaseState.PLAN,
)
# The states a payment plan or deferral may be agreed in: the steps still run there.
PLAN_FROM = (*BEFORE_COLLECTION, CaseState.IN_COLLECTION)

# (from, event) → to; RESUME's target is the state the case was paused or objected in.
TRANSITIONS: dict[tuple[CaseState, CaseEvent], CaseState | None] = {
    (CaseState.REGISTERED, CaseEvent.REMIND): CaseState.REMINDED,
    (CaseState.REGISTERED, CaseEvent.NOTIFY): CaseState.NOTIFIED,
    (CaseState.REMINDED, CaseEvent.NOTIFY): CaseState.NOTIFIED,
    (CaseState.NOTIFIED, CaseEvent.LIST): CaseState.LISTED,
    (CaseState.LISTED, CaseEvent.HAND_OVER): CaseState.IN_COLLECTION,
    (CaseState.IN_COLLECTION, CaseEvent.TO_LEGAL): CaseState.LEGAL,
    **{(state, CaseEvent.PAUSE): CaseState.PAUSED for state in BEFORE_COLLECTION},
    **{
        (state, CaseEvent.OBJECT): CaseState.OBJECTED
        for state in (*BEFORE_COLLECTION, CaseState.IN_COLLECTION)
    },
    # The debtor's objection stops a paused case too: resuming the pause must not send
    # the letter the objection disputes (it resumes from the state the pause left).
    (CaseState.PAUSED, CaseEvent.OBJECT): CaseState.OBJECTED,
    (CaseState.PAUSED, CaseEvent.RESUME): None,
    (CaseState.OBJECTED, CaseEvent.RESUME): None,
    **{(state, CaseEvent.PLAN): CaseState.PLAN for state in PLAN_FROM},
    # The debtor may object to, and the creditor pause, a case while its plan runs: the plan
    # ends with it and the case resumes later where it stood before the plan.
    (CaseState.PLAN, CaseEvent.OBJECT): CaseState.OBJECTED,
    (CaseState.PLAN, CaseEvent.PAUSE): CaseState.PAUSED,
    (CaseState.PLAN, CaseEvent.RESUME): None,  # the plan broke: where it stood before
    **{(state, CaseEvent.CLOSE): CaseState.CLOSED for state in OPEN_STATES},
}


# An objection stops the deadlines: a case objected while listed (its notice's deadline ran
# out) resumes notified and gets the notice again with a new deadline (docs/law.md).
RESUME_AFTER_OBJECTION = {CaseState.LISTED: CaseState.NOTIFIED}


def next_state(state: CaseState, event: CaseEvent, resume_to: CaseState | None = None) -> CaseState:
    """The state after `event`, or RuleViolation saying why the event is not allowed."""
    if (state, event) not in TRANSITIONS:
        raise RuleViolation(f"state: a case that is {state} cannot {VERBS[event]}")
    target = TRANSITIONS[(state, event)]
    if target is None:
        if resume_to is None or resume_to not in (*BEFORE_COLLECTION, CaseState.IN_COLLECTION):
            raise RuleViolation(f"state: no state to resume to from {state}")
        if state is CaseState.OBJECTED:
            return RESUME_AFTER_OBJECTION.get(resume_to, resume_to)
        return resume_to
    return target
