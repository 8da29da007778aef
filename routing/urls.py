from django.urls import path

from routing.route_views import IsochroneView, ProfileCatalogueView, RouteView, TripView
from routing.views import GraphListView, GraphQualityView

urlpatterns = [
    path("graphs/", GraphListView.as_view(), name="routing-graphs"),
    path("graphs/<slug:name>/quality/", GraphQualityView.as_view(), name="routing-graph-quality"),
    path("route/", RouteView.as_view(), name="routing-route"),
    path("trips/", TripView.as_view(), name="routing-trips"),
    path("isochrone/", IsochroneView.as_view(), name="routing-isochrone"),
    path("profiles/", ProfileCatalogueView.as_view(), name="routing-profiles"),
]
