"""Constants and helpers shared by the portal and browser tests."""

import re

from django.conf import settings
from django.core import mail

from tests.factories import TEST_PASSWORD

VALID_INN = "9704098567"
VALID_OGRN = "1217700535678"
PASSWORD = TEST_PASSWORD


def link_path(message: mail.EmailMessage) -> str:
    """The portal link in a letter, as a path the test client can open."""
    match = re.search(re.escape(settings.SITE_URL) + r"(/\S+/)", message.body)
    assert match, message.body
    return match.group(1)
