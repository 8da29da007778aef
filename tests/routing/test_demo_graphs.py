"""The demo area's graphs are built once and skipped while the source file is unchanged."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from routing.models import GraphBuild
from tests.conftest import shared_data
from tests.routing.conftest import MAPO

pytestmark = pytest.mark.django_db


def test_demo_graphs_build_once(graph_dir: Path, settings: object) -> None:
    shared_data(MAPO)
    out = StringIO()
    call_command("build_demo_graphs", stdout=out)
    assert GraphBuild.objects.filter(is_active=True).count() == 2
    assert GraphBuild.objects.get(name="seoul-yeouido").dem_sha256
    again = StringIO()
    call_command("build_demo_graphs", stdout=again)
    assert again.getvalue().count("already built") == 2
