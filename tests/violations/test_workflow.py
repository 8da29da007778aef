"""Every status transition and who may make it: only officials move reports; the system may only
mark automatic duplicates; impossible moves are 409; reasons are required where it matters."""

from __future__ import annotations

import pghistory.models
import pytest

from modugil.errors import Forbidden, InvalidInput
from tests.violations.conftest import make_report
from violations import workflow
from violations.models import ReportStatus, ViolationReport

pytestmark = pytest.mark.django_db
S = ReportStatus


def at(status: str) -> ViolationReport:
    report = make_report()
    if status == S.DUPLICATE:
        original = make_report()
        ViolationReport.objects.filter(pk=report.pk).update(status=status, duplicate_of=original)
    else:
        ViolationReport.objects.filter(pk=report.pk).update(status=status)
    report.refresh_from_db()
    return report


def extra_for(report: ViolationReport, to: str) -> dict:
    extra: dict = (
        {"reason": "other"} if workflow.TRANSITIONS[(report.status, to)].needs_reason else {}
    )
    if to == S.DUPLICATE:
        extra["duplicate_of"] = make_report()
    return extra


@pytest.mark.parametrize(("frm", "to"), list(workflow.TRANSITIONS))
def test_officials_make_every_allowed_transition(official, frm, to) -> None:
    report = at(frm)
    moved = workflow.transition(report, to, actor=official, **extra_for(report, to))
    assert moved.status == to and moved.decided_by == official and moved.version == 2


@pytest.mark.parametrize(("frm", "to"), list(workflow.TRANSITIONS))
def test_volunteers_and_team_leaders_make_none(minji, leader, frm, to) -> None:
    for user in (minji, leader, None):
        report = at(frm)
        with pytest.raises(Forbidden):
            workflow.transition(report, to, actor=user, **extra_for(report, to))
        report.refresh_from_db()
        assert report.status == frm


def test_every_move_not_in_the_table_is_refused(official) -> None:
    for frm in S.values:
        for to in S.values:
            if (frm, to) in workflow.TRANSITIONS:
                continue
            report = at(frm)
            with pytest.raises(workflow.TransitionNotAllowed):
                workflow.transition(report, to, actor=official, reason="other")


def test_system_may_only_mark_duplicates() -> None:
    original = make_report()
    report = make_report()
    with pytest.raises(Forbidden):
        workflow.transition(report, S.CONFIRMED, actor=None, system=True)
    moved = workflow.transition(report, S.DUPLICATE, actor=None, system=True, duplicate_of=original)
    assert moved.status == S.DUPLICATE and moved.duplicate_of == original


def test_dismissal_needs_a_reason_and_reopening_clears_the_duplicate_link(official) -> None:
    report = make_report()
    with pytest.raises(InvalidInput) as error:
        workflow.transition(report, S.DISMISSED, actor=official)
    assert "reason" in error.value.fields
    original = make_report()
    workflow.transition(report, S.DUPLICATE, actor=official, duplicate_of=original)
    reopened = workflow.transition(report, S.UNDER_REVIEW, actor=official, reason="reopened")
    assert reopened.duplicate_of is None and reopened.status == S.UNDER_REVIEW


def test_duplicate_chains_point_to_the_first_report(official) -> None:
    first, second, third = make_report(), make_report(), make_report()
    workflow.transition(second, S.DUPLICATE, actor=official, duplicate_of=first)
    moved = workflow.transition(third, S.DUPLICATE, actor=official, duplicate_of=second)
    assert moved.duplicate_of == first
    with pytest.raises(InvalidInput):
        workflow.transition(first, S.DUPLICATE, actor=official, duplicate_of=first)


def test_history_records_each_transition_with_reason_and_note(official, client_for) -> None:
    report = make_report(plate_hash="x" * 64, plate_encrypted="secret-token")
    client = client_for(official)
    for to, reason in ((S.UNDER_REVIEW, ""), (S.CONFIRMED, ""), (S.FINED, "fine_issued")):
        r = client.post(
            f"/api/violations/reports/{report.pk}/transition/",
            {"to": to, "reason": reason, "note": f"{to} 처리"},
            format="json",
        )
        assert r.status_code == 200, r.json()
    events = pghistory.models.Events.objects.tracks(report).filter(pgh_label="update")
    assert [e.pgh_context["transition"] for e in events.order_by("pgh_id")] == [
        "received->under_review",
        "under_review->confirmed",
        "confirmed->fined",
    ]
    history = client.get(f"/api/violations/reports/{report.pk}/history/").json()
    assert [h["transition"] for h in history if h["transition"]][-1] == "confirmed->fined"
    assert "secret-token" not in str(history)
    notes = client.get(f"/api/violations/reports/{report.pk}/notes/").json()
    assert [n["text"] for n in notes] == ["under_review 처리", "confirmed 처리", "fined 처리"]


def test_api_refuses_volunteers_and_stale_versions(official, minji, client_for) -> None:
    report = make_report(reporter=minji)
    r = client_for(minji).post(
        f"/api/violations/reports/{report.pk}/transition/", {"to": "confirmed"}, format="json"
    )
    assert r.status_code == 403
    r = client_for(official).post(
        f"/api/violations/reports/{report.pk}/transition/",
        {"to": "confirmed"},
        format="json",
        HTTP_IF_MATCH='"v7"',
    )
    assert r.status_code == 412 and r.json()["current_version"] == 1
    r = client_for(official).post(
        f"/api/violations/reports/{report.pk}/transition/", {"to": "closed"}, format="json"
    )
    assert r.status_code == 409 and r.json()["code"] == "transition_not_allowed"
