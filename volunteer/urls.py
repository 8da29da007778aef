"""The volunteer app's pages under /app/ and its API under /api/volunteer/."""

from django.urls import include, path

from volunteer import api, pages, pwa

app_name = "volunteer"

api_patterns = [
    path("quests/", api.QuestListView.as_view(), name="api-quests"),
    path("validation/", api.ValidationQueueView.as_view(), name="api-validation"),
    path("review-queue/", api.ReviewQueueView.as_view(), name="api-review-queue"),
    path("me/stats/", api.MyStatsView.as_view(), name="api-my-stats"),
    path("leaderboard/", api.LeaderboardView.as_view(), name="api-leaderboard"),
]

page_patterns = [
    path("", pages.home, name="home"),
    path("add/", pages.add, name="add"),
    path("edit/<str:kind>/<int:pk>/", pages.edit, name="edit"),
    path("validate/", pages.validate, name="validate"),
    path("teams/", pages.teams, name="teams"),
    path("teams/<int:pk>/", pages.team, name="team"),
    path("campaigns/new/", pages.campaign_new, name="campaign-new"),
    path("campaigns/<int:pk>/", pages.campaign, name="campaign"),
    path("me/", pages.me, name="me"),
    path("review/", pages.review, name="review"),
    path("outbox/", pages.outbox, name="outbox"),
    path("offline/", pages.offline, name="offline"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="sw"),
]

urlpatterns = [
    path("app/", include(page_patterns)),
    path("api/volunteer/", include(api_patterns)),
]
