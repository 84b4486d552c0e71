"""The investor's notices and email preferences (placeholders: being built)."""

from django.http import Http404
from django.views import View


class NotificationListView(View):
    def get(self, request):
        raise Http404


class PreferencesView(View):
    def get(self, request):
        raise Http404
