"""Who saw a plate or a reporter's contact: one row per view, never edited (privacy audit)."""

from __future__ import annotations

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from violations.models.reports import ViolationReport


class AccessChannel(models.TextChoices):
    REVIEW_PAGE = "review_page", _("Review page")
    API = "api", _("API")
    ADMIN = "admin", _("Admin")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class PrivateDataAccess(models.Model):
    """An official was shown the decrypted plate and/or contact of a report."""

    report = models.ForeignKey(
        ViolationReport, on_delete=models.CASCADE, related_name="private_accesses"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    fields = ArrayField(models.CharField(max_length=20), verbose_name=_("what was shown"))
    channel = models.CharField(_("where"), max_length=20, choices=AccessChannel.choices)
    path = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("plate or contact view")
        verbose_name_plural = _("plate and contact views")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["report", "at"], name="violation_access_report_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} saw {','.join(self.fields)} of report {self.report_id}"
