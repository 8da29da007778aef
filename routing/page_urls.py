from django.urls import path

from routing import pages

urlpatterns = [path("", pages.planner, name="trip-planner")]
