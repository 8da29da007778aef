from django.urls import path

from tiles import views

urlpatterns = [
    path("", views.catalogue, name="tiles-catalogue"),
    path("style.json", views.style, name="tiles-style"),
    path("<slug:layer>.json", views.layer_tilejson, name="tiles-tilejson"),
    path("<slug:layer>/<int:z>/<int:x>/<int:y>.pbf", views.tile, name="tiles-tile"),
]
