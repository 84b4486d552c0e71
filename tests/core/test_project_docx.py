"""«Скачать паспорт (DOCX)»: the passport re-opened with python-docx says what the project page says, and an
investor's copy holds nothing internal."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
import time_machine
from docx import Document

from core.choices import ProjectStage
from core.documents.project_docx import passport_filename, project_passport_docx, quantity, rubles
from core.models import ChecklistItem, Industry, Project, SupportMeasure
from core.services.projects import (
    checklist_tick,
    land_plot_add,
    measure_set,
    project_comment,
    project_update_passport,
    roadmap_item_save,
)
from core.workflows.projects import project_transition

INTERNAL_COMMENT = "Инвестор просит ускорить ТУ, проверить полномочия подписанта"
PUBLIC_COMMENT = "Совещание по ТУ перенесено на следующую неделю"
MEASURE_NOTE = "Ждём заключения комиссии по РИП"
CHECK_NOTE = "Участок подобран, нужен перевод категории"


def text_of(data: bytes) -> str:
    document = Document(BytesIO(data))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def move(project: Project, name: str, actor) -> Project:
    return project_transition(project=Project.objects.get(pk=project.pk), name=name, actor=actor)


@pytest.fixture
def passport(director, commissioner, apply_project, manager):
    """A project on its pre-investment stage with something in every part of the passport."""
    with time_machine.travel("2026-02-16 11:00 +03:00", tick=False):
        project = apply_project(
            description="Складской комплекс класса А площадью 40 000 м².\nПервая очередь — 2027 год.",
            investment_volume=Decimal("1500000000"), jobs=1250, gas_m3_per_hour=Decimal("120.5"),
            electricity_kw=Decimal("2500"), planned_start=date(2026, 5, 1), planned_launch=date(2027, 12, 1),
        )
        for name in ("start_review", "accept", "start_pre_investment"):
            project = move(project, name, manager)
        project = project_update_passport(
            project=project, actor=manager, district_commissioner=commissioner,
            industry=Industry.objects.create(code="logistics", name="Транспорт и логистика"),
            governor_agreement_date=date(2025, 6, 19), governor_agreement_forum="spief",
        )
        land_plot_add(project=project, actor=manager, cadastral_number="47:20:0112015:226", area_m2=Decimal("82220"),
                      address="Тосненский район, д. Ушаки", rights="Аренда")
        land = ChecklistItem.objects.create(stage=ProjectStage.PRE_INVESTMENT, code="land_analysis", order=1,
                                            name="Анализ земельного участка, перевод земельного участка")
        ChecklistItem.objects.create(stage=ProjectStage.PRE_INVESTMENT, code="rso_request", order=2,
                                     name="Запрос в РСО о возможности подключения")
        ChecklistItem.objects.create(stage=ProjectStage.OPERATIONAL, code="export", order=1,
                                     name="Поддержка экспорта")
        checklist_tick(project=project, item=land, actor=manager, comment=CHECK_NOTE)
        rip = SupportMeasure.objects.create(code="rip", name="Региональный инвестиционный проект (РИП)")
        measure_set(project=project, measure=rip, status="granted", actor=manager, comment=MEASURE_NOTE)
        item = roadmap_item_save(project=project, actor=manager, title="Получение технических условий",
                                 planned_start=date(2026, 3, 1), planned_end=date(2026, 4, 1))
        roadmap_item_save(project=project, actor=manager, item=item, planned_end=date(2026, 4, 20),
                          actual_end=date(2026, 4, 18), status="done")
        roadmap_item_save(project=project, actor=manager, title="Разрешение на строительство",
                          planned_start=date(2026, 4, 1), planned_end=date(2026, 5, 1))
        project_comment(project=project, actor=manager, text=INTERNAL_COMMENT, is_public=False)
        project_comment(project=project, actor=manager, text=PUBLIC_COMMENT)
    return Project.objects.get(pk=project.pk)


@time_machine.travel("2026-06-01 10:00 +03:00", tick=False)
def test_the_passport_holds_every_part_of_the_project(passport, investor, manager, commissioner, director):
    text = text_of(project_passport_docx(project=passport, user=manager))

    company = investor.organisation
    for expected in (
        "Паспорт инвестиционного проекта", passport.registry_number, "Логистический комплекс «Южный»",
        company.full_name, f"ИНН {company.inn}", f"ОГРН {company.ogrn}",
        "Тосненский муниципальный район", "Транспорт и логистика", "Прединвестиционный этап",
        "1\u00a0500\u00a0000\u00a0000\u00a0₽", "1\u00a0250",  # non-breaking: a number never wraps
        "Складской комплекс класса А площадью 40 000 м².", "Первая очередь — 2027 год.",
        "47:20:0112015:226", "82\u00a0220", "Тосненский район, д. Ушаки", "Аренда",  # land plots
        "Газ, м³/ч", "120,5", "Электроэнергия, кВт", "2\u00a0500",  # infrastructure needs
        "16.02.2026",  # submitted and accepted
        "01.05.2026", "01.12.2027", "19.06.2025, ПМЭФ",  # key dates, the governor agreement
        "Персональный менеджер", manager.full_name, manager.email, "Агентство (тест)",
        "Инвестиционный уполномоченный района", commissioner.full_name, commissioner.email,
        "Директор", director.full_name,
        "Региональный инвестиционный проект (РИП)", "Предоставлена", MEASURE_NOTE,  # measures
        "Выполнено 1 из 2 (50 %)", "Анализ земельного участка, перевод земельного участка",
        "Запрос в РСО о возможности подключения", "не выполнено", CHECK_NOTE,  # checklist of the reached stages
        "Получение технических условий", "01.03.2026 – 20.04.2026", "01.03.2026 – 01.04.2026", "18.04.2026",
        "Разрешение на строительство", "Запланирован · просрочен",  # roadmap: plan, baseline, actual, overdue
        "История проекта", INTERNAL_COMMENT, "(внутреннее)", PUBLIC_COMMENT,
        "Сформировано 01.06.2026",
    ):
        assert expected in text, expected
    assert "Поддержка экспорта" not in text  # a stage the project has not reached


@time_machine.travel("2026-06-01 10:00 +03:00", tick=False)
def test_an_investors_copy_has_nothing_internal(passport, investor, manager):
    staff_copy = text_of(project_passport_docx(project=passport, user=manager))
    investor_copy = text_of(project_passport_docx(project=passport, user=investor))

    for internal in (INTERNAL_COMMENT, "(внутреннее)", MEASURE_NOTE, CHECK_NOTE):
        assert internal in staff_copy, internal
        assert internal not in investor_copy, internal
    for shared in (passport.registry_number, "1\u00a0500\u00a0000\u00a0000\u00a0₽", "Предоставлена", "Выполнено 1 из 2",
                   "Получение технических условий", PUBLIC_COMMENT, manager.email):
        assert shared in investor_copy, shared


def test_an_empty_application_prints_dashes_not_errors(apply_project, investor):
    project = apply_project(investment_volume=None, jobs=None)

    text = text_of(project_passport_docx(project=project, user=investor))

    for expected in ("Заявка", "Земельные участки не указаны.", "Меры поддержки не запрашивались.",
                     "Пункты дорожной карты пока не добавлены.", "не назначен", "не подписано",
                     "Подана заявка на сопровождение проекта"):
        assert expected in text, expected


def test_formats_and_the_file_name(apply_project):
    # core.formatting: non-breaking spaces, kopecks only when there are any
    assert rubles(1_500_000_000).replace("\u00a0", " ") == "1 500 000 000 ₽"
    assert rubles(Decimal("2500.50")).replace("\u00a0", " ") == "2 500,50 ₽"
    assert rubles(None) == "—"
    assert quantity(Decimal("85000.500")).replace("\u00a0", " ") == "85 000,5"
    project = apply_project()
    assert project.registry_number.startswith("ИП-")
    assert passport_filename(project) == f"pasport-IP-{project.registry_number[3:]}.docx"
    project.registry_number = "№ Щука/7"
    assert passport_filename(project) == "pasport-SHCHuka-7.docx"
    project.registry_number = "№"
    assert passport_filename(project) == f"pasport-{project.pk}.docx"


def test_the_history_is_cut_to_the_latest_events(apply_project, investor, manager):
    project = apply_project()
    for number in range(35):
        project_comment(project=project, actor=investor, text=f"Вопрос №{number}")

    text = text_of(project_passport_docx(project=project, user=investor))

    assert "Последние 30 событий" in text
    assert "Вопрос №34" in text and "Вопрос №5" in text
    assert "Вопрос №4" not in text
    assert "Подана заявка на сопровождение проекта" not in text  # the oldest event is left for the page

