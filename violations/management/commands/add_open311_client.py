"""Register a system allowed to POST Open311 requests and print its api_key once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from violations.credentials import issue_client_key
from violations.models import Open311Client


class Command(BaseCommand):
    help = "Register an Open311 client and print its api_key (shown only once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name")
        parser.add_argument("--contact", default="")

    def handle(self, *args: Any, **opts: Any) -> None:
        client = Open311Client(name=opts["name"], contact=opts["contact"])
        self.stdout.write(f"api_key={issue_client_key(client)}")
