from django.contrib import admin
from django.contrib.gis.admin import GISModelAdmin

from community.models import Campaign, Membership, Team


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(Team)
class TeamAdmin(GISModelAdmin):
    list_display = ("name", "region_name", "created_at")
    inlines = [MembershipInline]


@admin.register(Campaign)
class CampaignAdmin(GISModelAdmin):
    list_display = ("name", "team", "starts_on", "ends_on", "target_count")
