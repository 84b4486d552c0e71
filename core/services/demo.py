"""Demo data for a development machine: invented organisations and one person per role.

Loaded by natural keys (ИНН, email), so running it again changes nothing. Never for production.
"""

import json
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.models import District, Organisation, User
from core.roles import Role
from core.services.roles import user_set_roles

DEMO_DIR = Path(settings.BASE_DIR) / "fixtures" / "demo"
DEMO_PASSWORD = "demo-koridor-2026"


def _read(name: str) -> list[dict]:
    data = json.loads((DEMO_DIR / name).read_text(encoding="utf-8"))
    return data[name.removesuffix(".json")]


def demo_users() -> list[dict]:
    """The demo logins as written in the fixture (for the banner and the README)."""
    return _read("users.json")


@transaction.atomic
def demo_load() -> dict[str, int]:
    organisations: dict[str, Organisation] = {}
    pending_people: list[tuple[Organisation, dict]] = []
    for row in _read("organisations.json"):
        fields = {k: v for k, v in row.items() if k not in {"key", "district", "personal_manager",
                                                             "district_commissioner", "inn"}}
        if row.get("district"):
            fields["district"] = District.objects.get(code=row["district"])
        org, _ = Organisation.objects.update_or_create(inn=row["inn"], defaults=fields)
        organisations[row["key"]] = org
        pending_people.append((org, row))

    for row in demo_users():
        fields = {k: v for k, v in row.items() if k not in {"email", "role", "organisation"}}
        fields["organisation"] = organisations[row["organisation"]]
        user, created = User.objects.update_or_create(email=row["email"], defaults=fields)
        if created or not user.has_usable_password():
            user.set_password(DEMO_PASSWORD)
            user.email_confirmed_at = user.membership_confirmed_at = timezone.now()
            user.save()
        user_set_roles(user=user, roles={Role(row["role"])})

    for org, row in pending_people:
        changed = False
        for field in ("personal_manager", "district_commissioner"):
            if row.get(field):
                setattr(org, field, User.objects.get(email=row[field]))
                changed = True
        if changed:
            org.save()
    return {"organisations": len(organisations), "users": len(demo_users())}


def demo_appeals_load() -> int:
    """A handful of appeals in different statuses, driven through the workflow like real ones.

    Runs once: if the demo investor's company already has appeals, nothing is added.
    """
    from core.choices import AppealStatus
    from core.models import Appeal, Fact
    from core.workflows.appeals import appeal_submit, appeal_transition

    investor = User.objects.get(email="investor@zk.example")
    if Appeal.objects.filter(organisation=investor.organisation).exists():
        return 0
    people = {row["role"]: User.objects.get(email=row["email"]) for row in demo_users()}
    coordinator, manager, executor = people["coordinator"], people["manager"], people["executor"]
    head = people["head"]

    def step(appeal, name, actor, **data):
        return appeal_transition(appeal=appeal, name=name, actor=actor, **data)

    road = Fact.objects.get(code="06.01.002")
    land = Fact.objects.get(code="05.01.001")
    building = Fact.objects.get(code="03.01.001")
    waiting = appeal_submit(
        applicant=investor, fact=land, subject="Свободные участки под склад",
        description="Просим направить перечень свободных земельных участков площадью 2–3 га в Тосненском районе.",
    )
    redirected = appeal_submit(
        applicant=investor, fact=building, subject="Ускорение получения разрешения на ввод склада",
        description="Заявление на выдачу разрешения на ввод в эксплуатацию подано в администрацию района.",
    )
    redirected = step(redirected, "assign", coordinator, executor_organisation=manager.organisation, manager=manager)
    redirected = step(redirected, "redirect", manager, executor_organisation=executor.organisation, manager=executor,
                      comment="Просим рассмотреть выдачу разрешения без выезда на осмотр.")
    redirected = step(redirected, "take_into_work", executor)
    answered = appeal_submit(
        applicant=investor, fact=road, subject="Согласование съезда на промышленную улицу",
        description="Получен отказ в согласовании проекта съезда. Просим организовать ВКС с профильным комитетом.",
    )
    answered = step(answered, "assign", coordinator, executor_organisation=manager.organisation, manager=manager,
                    head=head)
    answered = step(answered, "take_into_work", manager)
    answered = step(answered, "submit_for_approval", manager,
                    answer_text="ВКС проведена, проект примыкания согласован администрацией района.")
    answered = step(answered, "approve", head)
    answered = step(answered, "close", coordinator, outcome=AppealStatus.RESOLVED)
    step(answered, "rate", investor, rating=5, comment="Вопрос решён за неделю, спасибо!")
    return len([waiting, redirected, answered])
