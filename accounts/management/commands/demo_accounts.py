"""manage.py demo_accounts: create the demo users and print their log-ins."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from accounts.demo import ensure_demo_accounts


class Command(BaseCommand):
    help = "Create demo accounts (volunteer, team leader, official, admin) and a demo team."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write("demo log-ins (local demo only):")
        for username, password, role in ensure_demo_accounts():
            self.stdout.write(f"  {role:<22} username={username:<10} password={password}")
