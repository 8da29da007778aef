from django.urls import path

from routing.views import GraphListView, GraphQualityView

urlpatterns = [
    path("graphs/", GraphListView.as_view(), name="routing-graphs"),
    path("graphs/<slug:name>/quality/", GraphQualityView.as_view(), name="routing-graph-quality"),
]
