from __future__ import annotations

from typing import Any

from rest_framework import serializers
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from community.models import CAMPAIGN_TARGETS, Campaign, Membership, Team
from modugil.errors import InvalidInput
from modugil.geo import check_geometry


class TeamSerializer(serializers.ModelSerializer):
    member_count = serializers.IntegerField(source="memberships.count", read_only=True)

    class Meta:
        model = Team
        fields = ("id", "name", "description", "region_name", "member_count", "created_at")


class MembershipSerializer(serializers.ModelSerializer):
    user_name = serializers.CharField(source="user.public_name", read_only=True)

    class Meta:
        model = Membership
        fields = ("id", "team", "user_name", "role", "joined_at")
        read_only_fields = ("id", "team", "user_name", "joined_at")


class CampaignSerializer(GeoFeatureModelSerializer):
    progress = serializers.SerializerMethodField()
    target_types = serializers.ListField(
        child=serializers.ChoiceField(choices=CAMPAIGN_TARGETS), allow_empty=False
    )

    class Meta:
        model = Campaign
        geo_field = "area"
        fields = (
            "id",
            "team",
            "name",
            "description",
            "target_types",
            "target_count",
            "starts_on",
            "ends_on",
            "created_at",
            "progress",
        )

    def get_progress(self, obj: Campaign) -> dict[str, Any]:
        return dict(obj.progress())

    def validate_area(self, value: Any) -> Any:
        try:
            return check_geometry(value, allowed_types=("Polygon",), field="area")
        except InvalidInput as e:
            raise serializers.ValidationError(e.message) from e

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        starts = attrs.get("starts_on", getattr(self.instance, "starts_on", None))
        ends = attrs.get("ends_on", getattr(self.instance, "ends_on", None))
        if starts and ends and ends < starts:
            raise serializers.ValidationError({"ends_on": ["The campaign ends before it starts."]})
        return attrs
