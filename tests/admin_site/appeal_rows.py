"""An appeal for the cabinet's generic tests (tests/admin_site/helpers.MAKERS): filed through the workflow,
as an investor files it in the portal."""

from collections.abc import Callable

from django.db.models import Model

from core.models import AnswerTemplate, Appeal, FaqEntry
from core.roles import Role
from core.services.roles import user_set_roles
from core.workflows.appeals import appeal_submit
from tests.admin_site.classifier_rows import fact_row
from tests.conftest import role_groups
from tests.factories import UserFactory


def appeal_row() -> Appeal:
    role_groups()
    investor = user_set_roles(user=UserFactory(), roles={Role.INVESTOR})
    return appeal_submit(
        applicant=investor, fact=fact_row(), subject="Проверочное обращение", description="Текст обращения"
    )


def answer_template_row() -> AnswerTemplate:
    return AnswerTemplate.objects.create(title="Сроки подключения", text="Уважаемый %инвестор%, ответим до %срок%.",
                                         fact=fact_row())


def faq_row() -> FaqEntry:
    return FaqEntry.objects.create(question="Как подключиться к сетям?", answer="Подайте заявку в сетевую организацию.",
                                   is_published=True)


APPEAL_MAKERS: dict[str, Callable[[], Model]] = {
    "core.Appeal": appeal_row, "core.AnswerTemplate": answer_template_row, "core.FaqEntry": faq_row,
}
