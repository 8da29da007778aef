"""Validation votes, photos and rejected (conflicting) edits attached to any observation."""

from __future__ import annotations

import pghistory
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _


class VoteValue(models.TextChoices):
    AGREE = "agree", _("Agree")
    DISAGREE = "disagree", _("Disagree")
    UNSURE = "unsure", _("Unsure")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Vote(models.Model):
    """A peer validation (Project Sidewalk style); one per user and contribution, changeable."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="votes"
    )
    value = models.CharField(max_length=10, choices=VoteValue.choices)
    corrected = models.JSONField(
        _("corrected values"),
        default=dict,
        blank=True,
        help_text=_("{field: value} the voter measured."),
    )
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "user"], name="vote_one_per_user"
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]


def photo_path(instance: Photo, filename: str) -> str:
    return f"photos/{instance.content_type.model}/{instance.object_id}/{instance.key}.jpg"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent())
class Photo(models.Model):
    """A photo of a contribution; stored re-encoded, with all EXIF but orientation removed."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    key = models.UUIDField(unique=True)
    image = models.ImageField(upload_to=photo_path)
    width_px = models.PositiveIntegerField(default=0)
    height_px = models.PositiveIntegerField(default=0)
    taken_at = models.DateTimeField(_("taken at (from EXIF)"), null=True, blank=True)
    caption = models.CharField(max_length=300, blank=True)
    # A client-generated id makes a replayed upload (lost answer, offline queue) harmless.
    client_id = models.UUIDField(null=True, blank=True, unique=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["content_type", "object_id"])]


class EditConflict(models.Model):
    """An edit refused because it was based on an old version. Kept so that nothing is lost."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    base_version = models.PositiveIntegerField(null=True)
    current_version = models.PositiveIntegerField()
    attempted = models.JSONField(help_text=_("The refused request body, verbatim."))
    method = models.CharField(max_length=10)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["content_type", "object_id"])]


def content_type_for(model: type[models.Model]) -> ContentType:
    return ContentType.objects.get_for_model(model)
