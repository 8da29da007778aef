"""Text the app's JavaScript shows, translated by Django (one catalogue for pages and scripts).

Pages embed these with ``json_script``; ``%(name)s`` placeholders are filled in by ``Modugil.t``.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from mapping.models import ReviewStatus

STRINGS = {
    # answers and votes
    "agree": _("Agree: it is right"),
    "disagree": _("Disagree: it is wrong"),
    "unsure": _("Not sure"),
    "answers": _("Answers"),
    "is_this_right": _("Is this right?"),
    "yes": _("yes"),
    "no": _("no"),
    "unknown": _("unknown"),
    "save": _("Save"),
    "skip": _("Skip this question"),
    "skipped": _("Question skipped."),
    "other_value": _("Other value: %(label)s"),
    "answer_saved": _("Saved: %(answer)s. Thank you!"),
    "answer_queued": _("Saved on this phone: %(answer)s. It will be sent when you are online."),
    "conflict_short": _("Someone else changed this meanwhile. Your answer was kept, not applied."),
    # quests
    "loading_quests": _("Looking for questions near you…"),
    "quests_found": _("%(n)s questions near you."),
    "no_quests": _("No open questions here. Move the map and search this area."),
    "quests_offline": _("You are offline and no questions were saved for this area."),
    "nothing_known": _("Nothing recorded yet."),
    "distance_m": _("%(n)s m away"),
    "distance_km": _("%(n)s km away"),
    # capture
    "accuracy": _("(GPS accuracy ±%(n)s m)"),
    "pin_at": _("Pin at latitude %(lat)s, longitude %(lon)s."),
    "pin_label": _("Location pin: drag to the exact spot"),
    "waiting_gps": _("Waiting for your position… or drag the pin, or put it at the map centre."),
    "no_gps": _("Your position is not known yet. Allow location, or place the pin on the map."),
    "need_location": _("Set the location first."),
    "photo_n": _("Photo %(n)s"),
    "photo_of": _("Photo %(n)s of %(title)s"),
    "remove_photo": _("Remove photo %(n)s"),
    "preparing_photos": _("Preparing photos…"),
    "photos_ready": _("%(n)s photo(s) ready."),
    "not_saved": _("Not saved: please check the highlighted fields."),
    "nothing_changed": _("Nothing changed."),
    "saved_thanks": _("Saved. Thank you!"),
    "saved_offline": _("Saved on this phone. It will be sent when you are online."),
    "view_contribution": _("View what you recorded"),
    "see_outbox": _("See what is waiting to be sent"),
    "edit_needs_connection": _("Editing needs a connection to read the latest version."),
    # offline queue and conflicts
    "offline_saved": _("You are offline: saved on this phone."),
    "outbox_label": _("%(n)s changes waiting to be sent"),
    "sent_n": _("%(n)s change(s) sent."),
    "conflicts_n": _("%(n)s change(s) conflict with newer edits: please decide."),
    "login_again": _("Please log in again to send your changes."),
    "back_online": _("Back online: sending your changes."),
    "went_offline": _("You are offline. Changes are saved on this phone."),
    "applied_mine": _("Your version was applied on top of the newer one."),
    "kept_theirs": _("Kept the newer version; yours was discarded."),
    "state_pending": _("Waiting to be sent."),
    "state_conflict": _("Conflicts with a newer edit."),
    "state_failed": _("Refused:"),
    "state_other_user": _("Belongs to another account: log in as that person to send it."),
    "resolve": _("Decide"),
    "discard": _("Discard"),
    "discard_confirm": _("Discard this change for good?"),
    "kind_create": _("New contribution"),
    "kind_patch": _("Edit"),
    "kind_vote": _("Validation"),
    "kind_photo": _("Photo"),
    "refused_line": _(
        "Based on version %(base)s, but it was already version %(current)s (%(date)s)."
    ),
    "list_offline": _("Not available offline."),
    # validation and review
    "loading": _("Loading…"),
    "items_found": _("%(n)s to check."),
    "nothing_to_validate": _("Nothing to check here right now."),
    "by_on": _("By %(name)s, %(date)s"),
    "imported_on": _("Imported, %(date)s"),
    "status_line": _(
        "%(status)s · confidence %(confidence)s%% · %(agree)s agree, %(disagree)s disagree, "
        "%(unsure)s unsure"
    ),
    "correct_measurement": _("Correct a measurement"),
    "send_correction": _("Send correction"),
    "measured_differently": _("I measured a different value."),
    "corrected": _("corrected"),
    "official": _("official"),
    "vote_saved": _("Thank you, your vote counts."),
    "vote_queued": _("Vote saved on this phone; it will be sent when you are online."),
    "reason": _("Reason (shown in the record)"),
    "validate_it": _("Validate"),
    "reject_it": _("Reject"),
    "reviewed": _("Decision recorded: %(status)s."),
    # teams and campaigns
    "joined": _("Joined"),
    "joined_team": _("You joined %(name)s."),
    "progress_text": _("%(done)s of %(target)s (%(percent)s%%)"),
    "progress_changed": _("Campaign progress: %(done)s of %(target)s."),
    "area_set": _("Area: %(w)s, %(s)s to %(e)s, %(n)s."),
    "map_unavailable": _("The map cannot be shown on this device; the lists work without it."),
}


def js_strings() -> dict[str, str]:
    # "%%" keeps gettext's python-format check happy; the JS side never %-formats.
    strings = {key: str(value).replace("%%", "%") for key, value in STRINGS.items()}
    strings.update({f"status_{value}": str(label) for value, label in ReviewStatus.choices})
    return strings
