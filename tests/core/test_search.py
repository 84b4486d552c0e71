"""The search engine (core.search, docs/search.md, issue 15): Russian morphology, typos and company names, ranking,
escaped snippets, who finds what, the index following every change after commit, the rebuild command, similar
appeals and the FAQ suggestions. Runs on SQLite (FTS5) and PostgreSQL (tsvector, pg_trgm) alike."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection

from core.choices import OrganisationKind
from core.models import AppealFile, FaqEntry, Organisation, SearchEntry
from core.search import (
    APPEAL,
    ORGANISATION,
    PROJECT,
    matching,
    matching_appeal_ids_q,
    search,
    search_index_rebuild,
    similar_appeals,
    similar_faq,
)
from core.services.projects import project_comment
from tests.admin_site.appeals.helpers import act
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def found(kind, user, query) -> list:
    return [hit.obj.pk for hit in search(user=user, query=query, kinds=[kind]).groups.get(kind, [])]


def answered(file_appeal, coordinator, manager, head, *, answer: str, comment: str = "", **fields):
    appeal = act(file_appeal(**fields), "assign", coordinator, executor_organisation=manager.organisation,
                 manager=manager, head=head)
    appeal = act(appeal, "take_into_work", manager)
    if comment:
        appeal = act(appeal, "comment", manager, text=comment, is_public=False)
    appeal = act(appeal, "submit_for_approval", manager, answer_text=answer)
    return act(appeal, "approve", head)


def test_russian_word_forms_find_each_other(file_appeal, investor, coordinator):
    appeal = file_appeal(subject="Выделение земельного участка", description="Просим выделить земельный участок.")
    other = file_appeal(subject="Подключение к газу", description="Нужна газификация цеха.")
    search_index_rebuild()
    assert found(APPEAL, investor, "земельный участок") == [appeal.pk]
    assert found(APPEAL, coordinator, "земельного участка") == [appeal.pk]
    assert found(APPEAL, coordinator, "участками") == [appeal.pk]
    assert found(APPEAL, coordinator, "газ") == [other.pk]
    assert found(APPEAL, coordinator, "и на в") == []  # stop words alone find nothing rather than everything
    assert set(matching(kind=APPEAL, user=coordinator, query="земельные").values_list("pk", flat=True)) == {appeal.pk}


def test_a_company_name_is_found_by_its_words_and_with_a_typo(coordinator):
    company = OrganisationFactory(short_name="ООО «Ятэк Рус»", full_name="Общество «Ятэк Рус»", inn="7841000013")
    port = OrganisationFactory(short_name="АО «Зенит-Порт»", full_name="Акционерное общество «Зенит-Порт»")
    OrganisationFactory(short_name="АО «Балт-Порт»", full_name="Акционерное общество «Балт-Порт»")
    search_index_rebuild()
    assert found(ORGANISATION, coordinator, "ятэк рус") == [company.pk]
    assert found(ORGANISATION, coordinator, "Ятэк") == [company.pk]
    assert found(ORGANISATION, coordinator, "Зенит-Порт") == [port.pk]  # not every «…-Порт»
    if connection.vendor == "postgresql":  # pg_trgm word similarity; SQLite's trigram table finds substrings only
        assert found(ORGANISATION, coordinator, "Ятек") == [company.pk]
        assert found(ORGANISATION, coordinator, "ятек рус") == [company.pk]
        assert found(ORGANISATION, coordinator, "Зинит") == [port.pk]


def test_a_subject_match_ranks_above_a_file_name_match(file_appeal, coordinator, investor):
    by_file = file_appeal(subject="Вопрос по аренде", description="Прошу разъяснить порядок.")
    AppealFile.objects.create(appeal=by_file, file=ContentFile(b"x", name="a.pdf"), original_name="Теплоснабжение.pdf",
                              content_type="application/pdf", size=1, is_public=True, uploaded_by=investor)
    by_subject = file_appeal(subject="Теплоснабжение склада", description="Нет тепла.")
    search_index_rebuild()
    hits = search(user=coordinator, query="теплоснабжение", kinds=[APPEAL]).groups[APPEAL]
    assert [hit.obj.pk for hit in hits] == [by_subject.pk, by_file.pk]
    assert hits[0].rank > hits[1].rank
    assert "<mark>Теплоснабжение</mark>" in hits[1].snippet  # the file's name is the text that matched


def test_a_snippet_is_escaped_and_marks_the_found_word(file_appeal, coordinator):
    file_appeal(subject="Съезд", description="Подрядчик прислал <script>alert(1)</script> вместо схемы съезда.")
    search_index_rebuild()
    hit = search(user=coordinator, query="схема", kinds=[APPEAL]).groups[APPEAL][0]
    assert "<script>" not in hit.snippet
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in hit.snippet
    assert "<mark>схемы</mark>" in hit.snippet


def test_an_investor_finds_neither_another_company_nor_internal_words(
        file_appeal, investor, other_investor, coordinator, manager, head):
    own = answered(file_appeal, coordinator, manager, head, answer="Согласование выдано.",
                   comment="Внутренняя пометка про бухгалтерию", subject="Согласование съезда")
    theirs = file_appeal(applicant=other_investor, subject="Согласование съезда к складу")
    search_index_rebuild()
    assert found(APPEAL, investor, "согласование съезда") == [own.pk]
    assert found(APPEAL, other_investor, "согласование съезда") == [theirs.pk]
    assert found(APPEAL, investor, "бухгалтерия") == []  # the word is only in an internal line
    assert not matching(kind=APPEAL, user=investor, query="бухгалтерия").exists()
    assert found(APPEAL, manager, "бухгалтерия") == [own.pk]
    staff_hit = search(user=manager, query="бухгалтерия", kinds=[APPEAL]).groups[APPEAL][0]
    assert "<mark>бухгалтерию</mark>" in staff_hit.snippet
    assert found(ORGANISATION, investor, "Чужая компания") == []
    # an investor's snippet never quotes internal text, even of their own appeal
    for hit in search(user=investor, query="согласование", kinds=[APPEAL]).groups[APPEAL]:
        assert "бухгалтер" not in hit.snippet


def test_the_index_follows_answers_comments_files_projects_and_renames(
        django_capture_on_commit_callbacks, file_appeal, investor, coordinator, manager, head, apply_project, company):
    with django_capture_on_commit_callbacks(execute=True):
        appeal = answered(file_appeal, coordinator, manager, head, answer="Выдано разрешение на вырубку.",
                          comment="Проверить кадастровую ошибку")
    assert found(APPEAL, investor, "вырубка") == [appeal.pk]
    assert found(APPEAL, investor, "кадастровая") == []
    assert found(APPEAL, manager, "кадастровая") == [appeal.pk]
    with django_capture_on_commit_callbacks(execute=True):
        AppealFile.objects.create(appeal=appeal, file=ContentFile(b"x", name="b.pdf"),
                                  original_name="Дендроплан_участка.pdf", content_type="application/pdf", size=1,
                                  is_public=True, uploaded_by=manager)
    assert found(APPEAL, investor, "дендроплан") == [appeal.pk]
    with django_capture_on_commit_callbacks(execute=True):
        project = apply_project(name="Тепличный комплекс", description="Овощи круглый год")
    with django_capture_on_commit_callbacks(execute=True):
        project_comment(project=project, actor=manager, text="Сетевая организация тянет с техусловиями",
                        is_public=False)
        project.description = "Ягоды и овощи"
        project.save()
    assert found(PROJECT, investor, "ягоды") == [project.pk]
    assert found(PROJECT, investor, "техусловия") == []
    assert found(PROJECT, manager, "техусловия") == [project.pk]
    with django_capture_on_commit_callbacks(execute=True):
        company.short_name = "ООО «Агроинвест»"
        company.save()
    assert found(ORGANISATION, investor, "агроинвест") == [company.pk]
    with django_capture_on_commit_callbacks(execute=True):
        appeal.delete()
    assert not SearchEntry.objects.filter(kind=APPEAL, object_id=appeal.pk).exists()


def test_one_transaction_indexes_an_object_once(django_capture_on_commit_callbacks, file_appeal, coordinator):
    from django.db import transaction

    from core.search.index import _Pending

    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        first = file_appeal(subject="Первая тема")
        second = file_appeal(subject="Вторая тема")
    writes = [callback for callback in callbacks if isinstance(callback, _Pending)]
    assert len(writes) == 1  # both appeals and their history lines: one write after commit
    assert writes[0].keys == {APPEAL: {first.pk, second.pk}}
    assert found(APPEAL, coordinator, "вторая") == [second.pk]


def test_the_rebuild_command_is_idempotent(file_appeal, capsys):
    file_appeal()
    OrganisationFactory(kind=OrganisationKind.OMSU)
    call_command("rebuild_search_index")
    call_command("rebuild_search_index")
    assert "Поисковый индекс перестроен: обращений 1" in capsys.readouterr().out
    assert SearchEntry.objects.filter(kind=APPEAL).count() == 1
    assert SearchEntry.objects.filter(kind=ORGANISATION).count() == Organisation.objects.count()


def test_migrate_builds_an_empty_index_once(file_appeal):
    appeal = file_appeal()
    SearchEntry.objects.all().delete()
    out = io.StringIO()
    call_command("migrate", stdout=out)  # the upgrade: migration 0021 made the tables, the index is built after it
    assert "Поисковый индекс построен" in out.getvalue()
    assert SearchEntry.objects.filter(kind=APPEAL, object_id=appeal.pk).exists()
    out = io.StringIO()
    call_command("migrate", stdout=out)
    assert "Поисковый индекс" not in out.getvalue()


def test_search_takes_the_same_queries_with_more_rows(file_appeal, coordinator):
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        search_index_rebuild()
        search(user=coordinator, query="съезд", limit=3)  # roles cached on the user

        with CaptureQueriesContext(connection) as captured:
            results = search(user=coordinator, query="съезд", limit=3)
        return len(captured), results

    file_appeal(subject="Съезд на дорогу")
    few, results = count()
    for n in range(6):
        file_appeal(subject=f"Съезд номер {n}")
    many, results = count()
    assert many == few <= 6  # at most two per kind
    assert results.totals[APPEAL] == 7 and len(results.groups[APPEAL]) == 3


def test_similar_appeals_put_the_same_fact_first_and_stay_visible(
        file_appeal, classifier, investor, other_investor, coordinator, manager, head, problem_fact):
    from core.models import Fact

    other_fact = Fact.objects.exclude(pk=problem_fact.pk).first()
    current = file_appeal(subject="Отказ в согласовании съезда", description="Съезд на промышленную улицу")
    same_fact = answered(file_appeal, coordinator, manager, head, answer="Съезд согласован после доработки.",
                         subject="Парковка у цеха", description="Разметка")
    closer_text = answered(file_appeal, coordinator, manager, head, answer="Согласование съезда получено.",
                           fact=other_fact, subject="Согласование съезда", description="Съезд на улицу")
    file_appeal(subject="Согласование съезда без ответа")  # not answered: never offered
    foreign = answered(file_appeal, coordinator, manager, head, answer="Чужой ответ.",
                       applicant=other_investor, subject="Отказ в согласовании съезда")
    search_index_rebuild()
    offered = similar_appeals(appeal=current, user=manager)
    # the same fact first (the closer subject before the other), then another fact's closer text
    assert [s.appeal.pk for s in offered] == [foreign.pk, same_fact.pk, closer_text.pk]
    assert [s.same_fact for s in offered] == [True, True, False]
    first = offered[1]
    assert first.answer_text == "Съезд согласован после доработки."
    assert manager.organisation.short_name in first.executor
    mine = similar_appeals(appeal=current, user=investor)
    assert foreign.pk not in [s.appeal.pk for s in mine]  # another company's appeal stays unseen
    assert current.pk not in [s.appeal.pk for s in mine]


def test_similar_faq_offers_published_entries_only(classifier):
    published = FaqEntry.objects.create(question="Как получить технические условия на газ?",
                                        answer="Подайте заявку в газораспределительную организацию.",
                                        is_published=True)
    FaqEntry.objects.create(question="Технические условия на газ: черновик", answer="Черновик", is_published=False)
    FaqEntry.objects.create(question="Как получить субсидию?", answer="Через фонд.", is_published=True)
    search_index_rebuild()
    assert similar_faq(text="Нужны технические условия для подключения газа") == [published]
    assert similar_faq(text="ab") == []


def test_a_filterset_search_q_scopes_like_the_list(file_appeal, coordinator):
    appeal = file_appeal(subject="Вода для завода")
    search_index_rebuild()
    from core.models import Appeal

    assert list(Appeal.objects.filter(matching_appeal_ids_q(user=coordinator, query="водой"))) == [appeal]


@pytest.mark.parametrize("query", ["½", "C++ «»", "a'b\"c", "ё", "x\x00y", "NEAR(a b)", "* OR -", "'':*|&!",
                                   "ятэк " * 60, "участок AND NOT", "{title}:"])
def test_odd_queries_find_nothing_or_something_but_never_fail(file_appeal, coordinator, query):
    file_appeal(subject="Участок ООО «Ятэк»")
    search_index_rebuild()
    search(user=coordinator, query=query)
    list(matching(kind=APPEAL, user=coordinator, query=query))
    similar_faq(text=query)


def test_the_data_set_leaves_the_index_complete(classifier):
    from core.models import Appeal, Project
    from core.services.dataset import dataset_generate

    dataset_generate(projects=4, appeals=30, seed=3, force=True)
    assert SearchEntry.objects.filter(kind=APPEAL).count() == Appeal.objects.count() == 30
    assert SearchEntry.objects.filter(kind=PROJECT).count() == Project.objects.count()
    assert SearchEntry.objects.filter(kind=ORGANISATION).count() == Organisation.objects.count()


def test_similar_lookups_take_the_same_queries_with_more_rows(
        file_appeal, coordinator, manager, head, django_assert_max_num_queries):
    current = file_appeal(subject="Отказ в согласовании съезда")
    for n in range(4):
        answered(file_appeal, coordinator, manager, head, answer=f"Ответ {n}", subject=f"Съезд {n}")
        search_index_rebuild()
        with django_assert_max_num_queries(5):
            assert len(similar_appeals(appeal=current, user=manager)) == n + 1
        with django_assert_max_num_queries(2):
            similar_faq(text="Отказ в согласовании съезда")


def test_an_internal_project_document_is_found_by_staff_only(
        django_capture_on_commit_callbacks, apply_project, investor, manager):
    from core.models import ProjectDocument

    project = apply_project(name="Склад")
    with django_capture_on_commit_callbacks(execute=True):
        for name, internal in (("Заключение_экспертизы.pdf", True), ("Градплан.pdf", False)):
            ProjectDocument.objects.create(project=project, file=ContentFile(b"x", name="d.pdf"), original_name=name,
                                           content_type="application/pdf", size=1, is_internal=internal,
                                           uploaded_by=manager)
    assert found(PROJECT, investor, "градплан") == [project.pk]
    assert found(PROJECT, investor, "заключение экспертизы") == []
    hit = search(user=manager, query="заключение экспертизы", kinds=[PROJECT]).groups[PROJECT][0]
    assert hit.obj == project and "<mark>Заключение</mark>" in hit.snippet


def test_a_project_is_found_by_its_investors_names_and_follows_a_rename(
        django_capture_on_commit_callbacks, apply_project, company, manager, investor):
    company.short_name, company.full_name = "ООО «Лесная логистика»", "Общество «Лесная логистика Северо-Запад»"
    company.save()
    project = apply_project(name="Склад пиломатериалов")
    search_index_rebuild()
    assert found(PROJECT, manager, "Лесная логистика") == [project.pk]
    assert found(PROJECT, investor, "лесной логистики") == [project.pk]
    assert found(PROJECT, manager, "Северо-Запад") == [project.pk]  # the full name too
    with django_capture_on_commit_callbacks(execute=True):
        company.short_name, company.full_name = "ООО «Бореал»", "Общество «Бореал»"
        company.save()
    assert found(PROJECT, manager, "Бореал") == [project.pk]
    assert found(PROJECT, manager, "Лесная логистика") == []


def test_a_snippet_separates_history_lines(django_capture_on_commit_callbacks, apply_project, manager, investor):
    project = apply_project(name="Склад", description="")
    with django_capture_on_commit_callbacks(execute=True):
        project_comment(project=project, actor=manager, text="Подана заявка на техприсоединение", is_public=True)
        project_comment(project=project, actor=manager, text="Добавлен земельный участок", is_public=True)
    hit = search(user=investor, query="техприсоединение участок", kinds=[PROJECT]).groups[PROJECT][0]
    assert "техприсоединение</mark> · Добавлен" in hit.snippet
    # the separator is no word: the two lines' words still find and rank as before
    assert found(PROJECT, investor, "заявки земельного") == [project.pk]
    assert found(PROJECT, investor, "·") == []


def test_a_migration_marked_to_rebuild_the_index_rebuilds_it(file_appeal):
    from importlib import import_module

    from django.apps import apps

    from core.search.signals import _built_after_migrate

    appeal = file_appeal(subject="Газификация цеха")
    search_index_rebuild()
    SearchEntry.objects.filter(kind=APPEAL, object_id=appeal.pk).update(title="устаревший")  # a row of old text
    migration = import_module("core.migrations.0022_search_index_text_v2").Migration("0022", "core")
    _built_after_migrate(apps.get_app_config("core"), plan=[], verbosity=0)
    assert SearchEntry.objects.get(kind=APPEAL, object_id=appeal.pk).title == "устаревший"  # nothing to do
    _built_after_migrate(apps.get_app_config("core"), plan=[(migration, False)], verbosity=0)
    assert "Газификация" in SearchEntry.objects.get(kind=APPEAL, object_id=appeal.pk).title


def test_a_number_is_marked_where_it_stands_whole(file_appeal, coordinator):
    appeal = file_appeal(subject="Очередь строительства",
                         description="Ответить до 14.10.2026, срок 15 рабочих дней. Этап 1 начат, этап 2 ждёт.")
    search_index_rebuild()
    hit = search(user=coordinator, query="1", kinds=[APPEAL]).groups[APPEAL]
    assert [h.obj.pk for h in hit] == [appeal.pk]
    assert "Этап <mark>1</mark> начат" in hit[0].snippet
    assert "<mark>14</mark>" not in hit[0].snippet and "<mark>15</mark>" not in hit[0].snippet
