"""In-app notices and email preferences of a staff member (placeholders: being built)."""

from django.http import Http404


def notification_list(request, *, site):
    raise Http404


def notification_preferences(request, *, site):
    raise Http404
