"""The WSGI application (gunicorn: deploy/gunicorn.conf.py; `manage.py runserver` through WSGI_APPLICATION).

Once the application is loaded, its URLconf is imported too (the first request would) and every object made so far
is moved out of the garbage collector's sight (`gc.freeze()`). Django, the apps, the cabinet's admin and the URLconf
are some 220 000 objects that live as long as the process; left in the collector's oldest generation, each full
collection walks them all — about 60 ms on this project's machine, during which no thread of the process runs. On the
appeal pages that was the slowest request in a hundred (docs/performance.md «Pauses of the garbage collector»).
"""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "core.settings")
application = get_wsgi_application()


def freeze_start_up_objects() -> int:
    """Import the URLconf, collect what start-up left behind, freeze the rest; how many objects are frozen."""
    get_resolver().url_patterns  # noqa: B018 (imports core.urls and builds the admin's URLs)
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


freeze_start_up_objects()
