"""Campaign areas of 스스로해결단 teams, with whether each campaign is upcoming, active or ended."""

from __future__ import annotations

from typing import ClassVar

from django.db.models import Case, CharField, F, Func, QuerySet, Value, When
from django.db.models.functions import Now, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.models import Campaign, Team
from tiles.layer import LayerParams, MapLayer
from tiles.registry import register


@register
class CampaignAreas(MapLayer):
    name = "campaigns"
    title = _("Mapping campaigns")
    description = _("Areas where teams are mapping, and whether each campaign is running.")
    geometry = "polygon"
    depends_on = (Campaign, Team)
    geom_field = "area"
    minzoom = 8
    color = "#8250df"
    attributes: ClassVar[dict[str, str]] = {
        "id": "Campaign id (/api/community/campaigns/{id}/)",
        "name": "Campaign name",
        "team_name": "Team name",
        "state": "upcoming, active or ended (today, Korean time)",
        "starts_on": "First day (YYYY-MM-DD)",
        "ends_on": "Last day (YYYY-MM-DD)",
        "targets": "What is being mapped, comma-separated",
        "target_count": "Target number of contributions",
    }

    def features(self, params: LayerParams) -> QuerySet:
        today = TruncDate(Now())  # in settings.TIME_ZONE; SQL, as compiled tiles are reused
        state = Case(
            When(starts_on__gt=today, then=Value("upcoming")),
            When(ends_on__lt=today, then=Value("ended")),
            default=Value("active"),
            output_field=CharField(),
        )
        targets = Func(
            F("target_types"), Value(","), function="array_to_string", output_field=CharField()
        )
        return Campaign.objects.annotate(team_name=F("team__name"), state=state, targets=targets)

    def clock_token(self) -> str:
        # The state changes at midnight, not with an edit.
        return timezone.localdate().isoformat()
