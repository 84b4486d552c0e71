"""Reference data of projects (fixtures/reference): industries, the stage checklist from the seed, the support
measures catalogue and the request periods — loaded by natural keys, any number of times."""

from datetime import timedelta

from django.utils import timezone

from core.choices import OrganisationKind, ProjectStage
from core.models import ChecklistItem, Industry, Organisation, RequestPeriod, SupportMeasure
from core.services.projects import request_send
from core.services.reference import checklist_load, industries_load, request_periods_load, support_measures_load


def load_all() -> tuple[int, int, int, int]:
    return industries_load(), checklist_load(), support_measures_load(), request_periods_load()


def names(stage: str) -> list[str]:
    return list(ChecklistItem.objects.filter(stage=stage).order_by("order").values_list("name", flat=True))


def test_the_checklist_carries_the_seeds_actions_per_stage(db):
    load_all()

    assert names(ProjectStage.PRE_INVESTMENT) == [
        "Анализ земельного участка, перевод земельного участка",
        "Подбор мер поддержки (РИП: 10 % налог на прибыль, 0 % налог на имущество)",
        "Запрос в РСО о возможности подключения",
        "Подписание соглашения с Губернатором на ПМЭФ/БРИФ",
    ]
    assert names(ProjectStage.INVESTMENT) == [
        "Получение прав на земельный участок",
        "Сокращение сроков подключения к инженерной инфраструктуре",
        "Помощь в получении РНС, РНВ",
        "Предоставление налоговых льгот и льготных займов",
    ]
    assert names(ProjectStage.OPERATIONAL) == [
        "Поддержка экспорта", "Повышение производительности труда", "Продвижение на внутреннем рынке",
    ]
    assert names(ProjectStage.APPLICATION) == ["Регистрация в личном кабинете инвестора"]
    assert names(ProjectStage.REVIEW) == ["Рассмотрение заявки"]


def test_the_catalogue_has_rip_and_every_participant_answers_in_seven_days(db):
    load_all()

    rip = SupportMeasure.objects.get(code="rip")
    assert "10 % налог на прибыль, 0 % налог на имущество" in rip.description and rip.is_active
    assert SupportMeasure.objects.filter(name__startswith="Льготный заём").count() == 2
    assert dict(RequestPeriod.objects.values_list("kind", "days")) == dict.fromkeys(
        OrganisationKind.participants(), 7
    )
    assert Industry.objects.filter(code="logistics", name="Транспорт и логистика").exists()


def test_loading_again_changes_nothing_and_keeps_what_an_administrator_chose(db):
    counts = load_all()
    totals = (Industry.objects.count(), ChecklistItem.objects.count(), SupportMeasure.objects.count(),
              RequestPeriod.objects.count())
    assert counts == totals
    RequestPeriod.objects.filter(kind=OrganisationKind.RSO).update(days=10)  # set by an administrator
    SupportMeasure.objects.filter(code="spic").update(is_active=False)
    ChecklistItem.objects.filter(code="land_rights").update(name="Переименовано")

    assert load_all() == counts

    assert (Industry.objects.count(), ChecklistItem.objects.count(), SupportMeasure.objects.count(),
            RequestPeriod.objects.count()) == totals
    assert RequestPeriod.objects.get(kind=OrganisationKind.RSO).days == 10
    assert not SupportMeasure.objects.get(code="spic").is_active
    assert ChecklistItem.objects.get(code="land_rights").name == "Получение прав на земельный участок"


def test_a_request_is_due_in_the_loaded_period(apply_project, manager):
    request_periods_load()
    rso = Organisation.objects.create(kind=OrganisationKind.RSO, full_name="АО «Сети»", short_name="Сети")
    RequestPeriod.objects.filter(kind=OrganisationKind.RSO).update(days=5)

    request = request_send(project=apply_project(), actor=manager, organisation=rso,
                           subject="Возможность подключения", text="Просим сообщить о возможности подключения.")

    assert request.due_date == timezone.localdate() + timedelta(days=5)
