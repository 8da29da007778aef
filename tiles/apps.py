from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class TilesConfig(AppConfig):
    name = "tiles"
    verbose_name = _("Vector tiles")

    def ready(self) -> None:
        from tiles.registry import autodiscover
        from tiles.versions import install_triggers_after_migrate

        autodiscover()
        post_migrate.connect(install_triggers_after_migrate, dispatch_uid="tiles-version-triggers")
