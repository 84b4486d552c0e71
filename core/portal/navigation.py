"""The investor cabinet's tabs as data (the seed's «Мои документы · Мои обращения · …»).

A tab whose section is not built yet says so honestly (`coming`); a built tab has its own view
(core.portal.appeals for the appeals) routed before the generic one.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class CabinetTab:
    slug: str
    label: Promise
    coming: Promise | None = None  # what the section will hold, shown while it is not built yet


CABINET_TABS = (
    CabinetTab(
        "documents",
        _("Мои документы"),
        _("Здесь будут документы ваших проектов: заявки, договоры, разрешения и ответы органов власти."),
    ),
    CabinetTab("appeals", _("Мои обращения")),
    CabinetTab("legacy-appeals", _("Мои обращения (Старые)")),
    CabinetTab("tasks", _("Задачи"), _("Здесь вы сможете ставить задачи менеджерам и видеть, как они выполняются.")),
    CabinetTab("meetings", _("Встречи"), _("Здесь будет календарь встреч и контрольных точек по вашим проектам.")),
    CabinetTab("history", _("История проекта"), _("Здесь будет вся история ваших проектов: кто, что и когда сделал.")),
    CabinetTab(
        "passport",
        _("Паспорт"),
        _(
            "Здесь будет паспорт инвестиционного проекта: объём инвестиций, "
            "рабочие места, земельные участки и меры поддержки."
        ),
    ),
)
DEFAULT_TAB = "appeals"


def cabinet_tab(slug: str) -> CabinetTab | None:
    return next((tab for tab in CABINET_TABS if tab.slug == slug), None)
