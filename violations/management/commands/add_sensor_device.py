"""Register an IoT bay sensor (or issue it a new key) and print its key once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mapping.models import DisabledParkingSpot
from modugil.geo import coordinate_problem, point
from violations.credentials import issue_device_key
from violations.models import SensorDevice


class Command(BaseCommand):
    help = "Register a sensor watching a disabled bay and print its key (shown only once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("device_id")
        parser.add_argument("--name", default="")
        parser.add_argument("--spot", type=int, help="id of the watched DisabledParkingSpot")
        parser.add_argument("--lon", type=float)
        parser.add_argument("--lat", type=float)

    def handle(self, *args: Any, **opts: Any) -> None:
        spot = None
        if opts["spot"]:
            spot = DisabledParkingSpot.objects.filter(pk=opts["spot"]).first()
            if spot is None:
                raise CommandError(f"No parking spot {opts['spot']}")
        geom = None
        if opts["lon"] is not None and opts["lat"] is not None:
            problem = coordinate_problem(opts["lon"], opts["lat"])
            if problem:
                raise CommandError(problem)
            geom = point(opts["lon"], opts["lat"])
        if spot is None and geom is None:
            raise CommandError("Give --spot or --lon/--lat.")
        device, _ = SensorDevice.objects.update_or_create(
            device_id=opts["device_id"], defaults={"name": opts["name"], "spot": spot, "geom": geom}
        )
        self.stdout.write(f"Authorization: Device {issue_device_key(device)}")
