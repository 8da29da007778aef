"""Account pages: sign-up (log-in and log-out are Django's own views)."""

from __future__ import annotations

from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from accounts.forms import SignUpForm


def _next_url(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return "/app/"


def signup(request: HttpRequest) -> HttpResponse:
    """Create a volunteer account and sign in straight away."""
    if request.method == "POST":
        form = SignUpForm(request.POST)
        if form.is_valid():
            user = form.save()
            login(request, user)
            return HttpResponseRedirect(_next_url(request))
    else:
        form = SignUpForm()
    return render(request, "accounts/signup.html", {"form": form, "next": _next_url(request)})
