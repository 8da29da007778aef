"""Admin for officials: reports (status changes only through the workflow), photos, devices."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.gis.admin import GISModelAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from modugil.errors import ModugilError
from violations import crypto, workflow
from violations.access_log import log_private_views
from violations.models import (
    AccessChannel,
    Open311Client,
    PrivateDataAccess,
    ReportNote,
    ReportStatus,
    SensorDevice,
    SensorSession,
    ViolationPhoto,
    ViolationReport,
)


class PhotoInline(admin.TabularInline):
    model = ViolationPhoto
    extra = 0
    can_delete = False
    fields = (
        "position",
        "taken_at",
        "taken_at_source",
        "redaction_status",
        "auto_regions",
        "manual_regions",
    )
    readonly_fields = fields


class NoteInline(admin.TabularInline):
    model = ReportNote
    extra = 0
    can_delete = False
    fields = ("text", "author", "created_at")
    readonly_fields = ("author", "created_at")


def _transition_action(to: str, label: Any) -> Any:
    def action(modeladmin: Any, request: HttpRequest, queryset: QuerySet) -> None:
        done = 0
        for report in queryset:
            try:
                workflow.transition(report, to, actor=request.user)  # type: ignore[arg-type]
                done += 1
            except ModugilError as e:
                modeladmin.message_user(request, f"#{report.pk}: {e.message}", messages.WARNING)
        modeladmin.message_user(request, f"{done} → {to}")

    action.__name__ = f"mark_{to}"
    action.short_description = label  # type: ignore[attr-defined]
    return action


@admin.register(ViolationReport)
class ViolationReportAdmin(GISModelAdmin):
    list_display = (
        "id",
        "violation_type",
        "status",
        "source",
        "occurred_at",
        "district",
        "case_count",
    )
    list_filter = ("status", "violation_type", "source", "channel", "time_precision")
    search_fields = ("district", "place_text", "source_dataset")
    date_hierarchy = "occurred_at"
    inlines = [PhotoInline, NoteInline]
    # Status and decisions change only through the workflow actions below.
    readonly_fields = (
        "status",
        "decision_reason",
        "decided_by",
        "decided_at",
        "duplicate_of",
        "plate",
        "contact",
        "h3_r15",
        "version",
        "source",
        "channel",
        "created_at",
        "updated_at",
    )
    exclude = ("plate_hash", "plate_encrypted", "reporter_contact_encrypted")
    raw_id_fields = ("spot", "reporter", "open311_client", "import_run")
    actions = [
        _transition_action(ReportStatus.UNDER_REVIEW, _("Start review")),
        _transition_action(ReportStatus.CONFIRMED, _("Confirm")),
        _transition_action(ReportStatus.WARNED, _("Mark warned")),
        _transition_action(ReportStatus.FINED, _("Mark fined")),
        _transition_action(ReportStatus.CLOSED, _("Close")),
    ]

    @admin.display(description=_("Licence plate"))
    def plate(self, obj: ViolationReport) -> str:
        return crypto.decrypt(obj.plate_encrypted)

    @admin.display(description=_("Contact"))
    def contact(self, obj: ViolationReport) -> str:
        return ", ".join(
            f"{k}: {v}" for k, v in crypto.decrypt_contact(obj.reporter_contact_encrypted).items()
        )

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.has_role("official"))  # type: ignore[union-attr]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> Any:
        """The change form shows the decrypted plate and contact: record the view."""
        response = super().change_view(request, object_id, form_url, extra_context)
        report = (
            ViolationReport.objects.filter(pk=object_id).first() if object_id.isdigit() else None
        )
        if report is not None and response.status_code == 200:
            log_private_views(
                [report],
                request.user,  # type: ignore[arg-type]
                channel=AccessChannel.ADMIN,
                path=request.get_full_path(),
            )
        return response


@admin.register(PrivateDataAccess)
class PrivateDataAccessAdmin(admin.ModelAdmin):
    """Who saw which plate or contact, when and where: read-only."""

    list_display = ("at", "user", "report", "fields", "channel")
    list_filter = ("channel",)
    raw_id_fields = ("report", "user")
    date_hierarchy = "at"

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.has_role("official"))  # type: ignore[union-attr]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SensorDevice)
class SensorDeviceAdmin(GISModelAdmin):
    list_display = ("device_id", "name", "spot", "active", "last_seen_at")
    list_filter = ("active",)
    readonly_fields = ("last_seen_at", "created_at")
    raw_id_fields = ("spot",)


@admin.register(SensorSession)
class SensorSessionAdmin(admin.ModelAdmin):
    list_display = (
        "device",
        "session_key",
        "entered_at",
        "exited_at",
        "warning_count",
        "violation_at",
    )
    readonly_fields = [f.name for f in SensorSession._meta.fields]
    exclude = ("plate_hash", "plate_encrypted")


@admin.register(Open311Client)
class Open311ClientAdmin(admin.ModelAdmin):
    list_display = ("name", "contact", "active", "last_used_at")
    readonly_fields = ("last_used_at", "created_at")
