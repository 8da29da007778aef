from rest_framework.routers import DefaultRouter

from mapping import views

router = DefaultRouter()
router.register("features", views.FeatureViewSet, basename="feature")
router.register("places", views.PlaceViewSet, basename="place")
router.register("parking-spots", views.ParkingSpotViewSet, basename="parking-spot")
router.register("conflicts", views.EditConflictViewSet, basename="conflict")

urlpatterns = router.urls
