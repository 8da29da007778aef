from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoutingConfig(AppConfig):
    name = "routing"
    verbose_name = _("Barrier-free routing")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from mapping.models import AccessibilityFeature
        from routing.signals import feature_saved

        post_save.connect(
            feature_saved, sender=AccessibilityFeature, dispatch_uid="routing_graph_overlay"
        )
