from rest_framework.routers import DefaultRouter

from community import views

router = DefaultRouter()
router.register("teams", views.TeamViewSet, basename="team")
router.register("campaigns", views.CampaignViewSet, basename="campaign")

urlpatterns = router.urls
