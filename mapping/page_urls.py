from django.urls import path

from mapping import pages

urlpatterns = [path("", pages.home, name="home")]
