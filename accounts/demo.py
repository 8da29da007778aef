"""Demo accounts and a demo 스스로해결단 team with a campaign over Yeouido."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.gis.geos import Polygon
from django.utils import timezone

from accounts.models import Role, User

DEMO_PASSWORD = "modugil-demo-2026"  # noqa: S105 - printed on purpose, local demo only

DEMO_USERS = (
    ("volunteer", Role.VOLUNTEER, "김봉사 (자원봉사자)"),
    ("leader", Role.TEAM_LEADER, "이주민 (주민 리더)"),
    ("official", Role.OFFICIAL, "박주무관 (공무원)"),
    ("admin", Role.ADMIN, "관리자"),
)
YEOUIDO = Polygon.from_bbox((126.915, 37.518, 126.945, 37.533))


def ensure_demo_accounts() -> list[tuple[str, str, str]]:
    """Create (or reset) the demo users; return (username, password, role) rows."""
    from community.models import Campaign, Membership, Team, TeamRole

    rows = []
    for username, role, display in DEMO_USERS:
        user, _ = User.objects.get_or_create(username=username)
        user.role = role
        user.display_name = display
        user.is_staff = role in (Role.OFFICIAL, Role.ADMIN)
        user.is_superuser = role == Role.ADMIN
        user.set_password(DEMO_PASSWORD)
        user.save()
        rows.append((username, DEMO_PASSWORD, str(role.label)))
    team, _ = Team.objects.get_or_create(
        name="여의도 무장애 지도 스스로해결단",
        defaults={
            "region_name": "서울 영등포구 여의도동",
            "description": "주민·공무원·전문가가 함께 만드는 여의도 접근성 지도",
        },
    )
    for username, team_role in (
        ("leader", TeamRole.LEADER),
        ("volunteer", TeamRole.VOLUNTEER),
        ("official", TeamRole.OFFICIAL),
    ):
        Membership.objects.get_or_create(
            team=team, user=User.objects.get(username=username), defaults={"role": team_role}
        )
    today = timezone.localdate()
    YEOUIDO.srid = 4326
    Campaign.objects.get_or_create(
        team=team,
        name="여의도 횡단보도 턱 조사",
        defaults={
            "area": YEOUIDO,
            "target_types": ["crossing", "kerb", "curb_ramp"],
            "target_count": 50,
            "starts_on": today - timedelta(days=7),
            "ends_on": today + timedelta(days=60),
            "created_by": User.objects.get(username="leader"),
        },
    )
    return rows
