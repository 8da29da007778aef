"""A record of every import run: what file, which source, what happened to each row."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ImportRun(models.Model):
    class Status(models.TextChoices):
        OK = "ok", "ok"
        FAILED = "failed", "failed"

    source = models.CharField(max_length=80)
    path = models.CharField(max_length=500)
    sha256 = models.CharField(max_length=64)
    committed = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices)
    counts = models.JSONField(default=dict)
    rejected = models.JSONField(default=list, help_text="Rejected rows with reasons (first 1000).")
    message = models.TextField(blank=True)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        indexes = [models.Index(fields=["source", "sha256"])]

    def __str__(self) -> str:
        return f"{self.source} {self.started_at:%Y-%m-%d %H:%M} {self.status}"
