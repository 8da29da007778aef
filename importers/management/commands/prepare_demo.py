"""manage.py prepare_demo: everything `bin/modugil run` needs before serving, in one process.

Migrate, collect static files, load the demo area, build the demo graphs and create the demo
accounts. One Python start instead of five keeps a second run quick.
"""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Prepare the demo service: migrate, static files, demo data, demo graphs, demo accounts."

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        call_command("load_demo", stdout=self.stdout)
        call_command("build_demo_graphs", stdout=self.stdout)
        call_command("demo_accounts", stdout=self.stdout)
