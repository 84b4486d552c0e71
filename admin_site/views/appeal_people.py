"""The people an appeal's person pickers offer (admin_site.forms.people), as select2 asks for them while one types.

Only adapts: who fits is core.selectors.appeal_people (the door's own rule), who may be seen is core's visibility,
and the organisation must be a participant this person sees. Anything else gets an empty list, never an error page.
"""

from django.contrib.admin import ModelAdmin
from django.core.paginator import Paginator
from django.http import HttpRequest, JsonResponse

from admin_site.forms.common import participant_organisations
from admin_site.forms.people import person_label
from admin_site.views.common import require_view
from core.http_guard import BIGINT, parse_int
from core.models import Organisation, User
from core.selectors.appeal_people import appeal_head_choices_for, appeal_manager_choices_for

PAGE_SIZE = 20
TERM_MAX = 100


def _organisation(user: User, value: str) -> Organisation | None:
    pk = parse_int(value, minimum=1, maximum=BIGINT)
    return participant_organisations(user).filter(pk=pk).first() if pk else None


def appeal_people_view(request: HttpRequest, *, model_admin: ModelAdmin) -> JsonResponse:
    """?role=head: who may approve; otherwise who may answer for the appeal at ?organisation=<id>. ?term= narrows
    by name, e-mail or position, ?page= pages by twenty: select2's own protocol ({results, pagination})."""
    require_view(model_admin, request)
    user, term = request.user, request.GET.get("term", "")[:TERM_MAX]
    if request.GET.get("role") == "head":
        people, with_organisation = appeal_head_choices_for(user=user, term=term), True
    else:
        organisation = _organisation(user, request.GET.get("organisation", ""))
        people, with_organisation = appeal_manager_choices_for(user=user, organisation=organisation, term=term), False
    page = Paginator(people, PAGE_SIZE).get_page(parse_int(request.GET.get("page", ""), minimum=1) or 1)
    return JsonResponse({
        "results": [{"id": person.pk, "text": person_label(person, organisation=with_organisation)}
                    for person in page],
        "pagination": {"more": page.has_next()},
    })
