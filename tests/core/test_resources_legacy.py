"""Legacy appeals («Мои обращения (Старые)») from xlsx/csv: their own numbers, dates, statuses and answers, one
history row each, the counter moved above them, and a file with a bad row writes nothing."""

from datetime import date, datetime
from io import BytesIO

import openpyxl
import pytest
import tablib
import time_machine
from import_export.formats.base_formats import CSV, XLSX

from core.choices import AppealChannel, AppealEventKind, AppealStatus, OrganisationKind
from core.models import Appeal, AppealEvent, Counter
from core.resources.appeals import LegacyAppealResource
from core.roles import Role
from core.workflows.appeals import NUMBER_COUNTER
from tests.factories import OrganisationFactory

HEADERS = ["Номер", "Дата подачи", "ИНН инвестора", "Почта заявителя", "Код факта", "Тема", "Описание", "Статус",
           "Срок ответа", "Ответ", "Дата ответа", "Оценка"]
FACT = "06.01.002"  # «Проблема», 20 calendar days


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2025-10-01 12:00 +03:00", tick=False):
        yield


def xlsx_dataset(rows: list[list]) -> tablib.Dataset:
    """An xlsx built in memory as a person would fill it: real dates and numbers in the cells."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return XLSX().create_dataset(buffer.getvalue())


def csv_dataset(text: str) -> tablib.Dataset:
    return CSV(encoding="utf-8").create_dataset(",".join(HEADERS) + "\n" + text)


def run(data: tablib.Dataset, user, **kwargs):
    return LegacyAppealResource().import_data(data, user=user, **kwargs)


def errors_of(result) -> dict[int, dict[str, list[str]]]:
    return {row.number: row.error_dict for row in result.invalid_rows}


def counter() -> int:
    return Counter.objects.filter(name=NUMBER_COUNTER).values_list("value", flat=True).first() or 0


def test_xlsx_rows_become_legacy_appeals_with_their_history(classifier, investor, data_clerk, file_appeal):
    inn = investor.organisation.inn
    data = xlsx_dataset([
        [368, datetime(2025, 2, 21, 12, 47), int(inn), None, FACT, "Съезд на улицу", "Получен отказ", "Решено",
         None, "Проект согласован", datetime(2025, 3, 10, 15, 0), 5],
        [724, date(2025, 8, 18), inn, investor.email.upper(), FACT, "Подключение к сетям", "", "in_work",
         date(2025, 9, 30), None, None, None],
    ])

    result = run(data, data_clerk)

    assert not result.has_errors() and not result.has_validation_errors(), errors_of(result)
    resolved, in_work = Appeal.objects.get(number=368), Appeal.objects.get(number=724)
    assert resolved.is_legacy and in_work.is_legacy
    assert (resolved.status, in_work.status) == (AppealStatus.RESOLVED, AppealStatus.IN_WORK)
    assert resolved.applicant == investor == in_work.applicant  # no email: the company's first investor
    assert resolved.created_at == datetime.fromisoformat("2025-02-21T12:47:00+03:00")
    assert resolved.deadline == date(2025, 3, 13)  # not in the file: counted as for a new appeal
    assert in_work.deadline == date(2025, 9, 30)
    assert (resolved.answer_text, resolved.rating) == ("Проект согласован", 5)
    assert resolved.answered_at == datetime.fromisoformat("2025-03-10T15:00:00+03:00")
    assert resolved.closed_at == resolved.answered_at and in_work.closed_at is None
    assert (resolved.organisation_inn, resolved.organisation_ogrn) == (inn, investor.organisation.ogrn)
    # received when filed (the deadline counts from it); no «Канал» column: the portal
    assert resolved.received_at == resolved.created_at and in_work.received_at == in_work.created_at
    assert resolved.channel == in_work.channel == AppealChannel.PORTAL
    # the old answer is round 1 with its rating, as for appeals answered before rounds were kept
    assert [(r.number, r.text, r.rating) for r in resolved.answers.all()] == [(1, "Проект согласован", 5)]
    assert not in_work.answers.exists()
    events = AppealEvent.objects.filter(appeal__in=[resolved, in_work])
    assert events.count() == 2
    assert set(events.values_list("kind", "actor", "to_status")) == {
        (AppealEventKind.IMPORTED, data_clerk.pk, AppealStatus.RESOLVED),
        (AppealEventKind.IMPORTED, data_clerk.pk, AppealStatus.IN_WORK),
    }
    assert counter() == 724
    assert file_appeal().number == 725  # new numbers continue above the imported ones


def test_csv_takes_russian_dates_and_status_labels(classifier, investor, data_clerk):
    inn = investor.organisation.inn
    data = csv_dataset(
        f"№12,21.02.2025 09:15,{inn},,{FACT},Тема,Текст,Обращение отклонено (с указанием причины),,Не наш вопрос,,\n"
        f"13,2025-02-22,{inn},,{FACT},Тема,Текст,обращение РАССМОТРЕНО,01.03.2025,Ответ,01.03.2025,4\n"
    )

    result = run(data, data_clerk)

    assert not result.has_validation_errors(), errors_of(result)
    rejected, answered = Appeal.objects.get(number=12), Appeal.objects.get(number=13)
    assert rejected.status == AppealStatus.REJECTED and rejected.rejection_reason == "Не наш вопрос"
    assert rejected.created_at == datetime.fromisoformat("2025-02-21T09:15:00+03:00")
    assert answered.status == AppealStatus.ANSWERED and answered.deadline == date(2025, 3, 1)
    assert answered.rating == 4


def test_english_and_other_usual_headers_are_understood(classifier, investor, data_clerk):
    data = CSV(encoding="utf-8").create_dataset(
        "number,created,INN,email,fact code,subject,description,status\n"
        f"31,01.09.2025,{investor.organisation.inn},{investor.email},{FACT},Тема,Текст,resolved\n"
    )

    result = run(data, data_clerk)

    assert not result.has_errors() and not result.has_validation_errors(), errors_of(result)
    assert Appeal.objects.get(number=31).status == AppealStatus.RESOLVED


def test_a_channel_column_is_read_by_label_and_an_unknown_one_is_a_russian_error(classifier, investor, data_clerk):
    inn = investor.organisation.inn
    header = "Номер,Дата подачи,ИНН инвестора,Код факта,Тема,Статус,Канал\n"

    result = run(CSV(encoding="utf-8").create_dataset(
        header + f"41,01.09.2025 10:00,{inn},{FACT},Тема,Решено,Телефон\n42,02.09.2025,{inn},{FACT},Тема,Решено,\n"
    ), data_clerk)

    assert not result.has_errors() and not result.has_validation_errors(), errors_of(result)
    assert Appeal.objects.get(number=41).channel == AppealChannel.PHONE
    assert Appeal.objects.get(number=42).channel == AppealChannel.PORTAL
    result = run(CSV(encoding="utf-8").create_dataset(header + f"43,01.09.2025,{inn},{FACT},Тема,Решено,Голубь\n"),
                 data_clerk)
    assert "Канала «Голубь» нет" in str(errors_of(result)) and not Appeal.objects.filter(number=43).exists()


def test_the_status_was_given_at_creation_and_stays_protected(classifier, investor, data_clerk):
    run(csv_dataset(f"5,01.09.2025,{investor.organisation.inn},,{FACT},Тема,Текст,Решено,,,,\n"), data_clerk)

    appeal = Appeal.objects.get(number=5)
    assert appeal.status == AppealStatus.RESOLVED
    with pytest.raises(AttributeError):
        appeal.status = AppealStatus.IN_WORK  # django-fsm: only a transition changes a loaded appeal


def test_one_bad_row_writes_nothing_and_each_row_says_why_in_russian(classifier, investor, other_investor,
                                                                      data_clerk, file_appeal):
    taken = file_appeal().number
    before = (Appeal.objects.count(), AppealEvent.objects.count(), counter())
    lonely = OrganisationFactory(kind=OrganisationKind.INVESTOR)
    agency = OrganisationFactory(kind=OrganisationKind.AGENCY)
    inn = investor.organisation.inn
    data = xlsx_dataset([
        [900, date(2025, 9, 1), inn, None, FACT, "Хорошая строка", "Текст", "Решено", None, None, None, None],
        [taken, "31.02.2025", agency.inn, None, "99.99.999", "", "", "Почти решено", "завтра", None, None, 7],
        [901, date(2025, 9, 1), lonely.inn, None, FACT, "Тема", "", "Решено", None, None, None, None],
        [902, date(2025, 9, 1), inn, other_investor.email, FACT, "Тема", "", "Решено", None, None, None, None],
        [903, date(2025, 9, 1), inn, None, FACT, "Тема", "", "Решено", None, None, date(2025, 8, 1), None],
        [taken, date(2025, 9, 1), inn, None, FACT, "Тема", "", "Решено", None, None, None, None],
    ])

    result = run(data, data_clerk)

    assert (Appeal.objects.count(), AppealEvent.objects.count(), counter()) == before
    assert not Appeal.objects.filter(number=900).exists()
    errors = errors_of(result)
    assert set(errors) == {2, 3, 4, 5, 6}
    assert errors[2] == {
        "Дата подачи": ["Дата «31.02.2025» не распознана: напишите её как 31.12.2025 или 31.12.2025 14:30."],
        "ИНН инвестора": [f"Компании-инвестора с ИНН «{agency.inn}» нет в системе: сначала добавьте организацию."],
        "Код факта": ["Факта обращения с кодом «99.99.999» нет в классификаторе."],
        "Статус": ["Статуса «Почти решено» нет: напишите его как в списке обращений."],
        "Срок ответа": ["Дата «завтра» не распознана: напишите её как 31.12.2025."],
        "Оценка": ["Нужно целое число от 1 до 5, а не «7»."],
    }
    assert errors[3] == {"Почта заявителя": [
        f"У компании с ИНН {lonely.inn} нет пользователей-инвесторов: укажите почту заявителя, "
        "зарегистрированного на портале."
    ]}
    assert errors[4] == {"Почта заявителя": [
        f"Пользователь {other_investor.email} не представляет компанию с ИНН {inn}."
    ]}
    assert errors[5] == {"Дата ответа": ["Дата ответа раньше даты подачи."]}
    assert errors[6] == {"Номер": [f"Обращение №{taken} уже есть в системе."]}


def test_a_number_repeated_in_the_file_is_an_error_and_reimport_adds_nothing(classifier, investor, data_clerk):
    inn = investor.organisation.inn
    row = f"{{number}},01.09.2025,{inn},,{FACT},Тема,Текст,Решено,,,,\n"
    twice = run(csv_dataset(row.format(number=40) + row.format(number=40)), data_clerk)
    assert errors_of(twice) == {2: {"Номер": ["Обращение №40 уже есть в системе."]}}
    assert not Appeal.objects.exists()

    file = row.format(number=40) + row.format(number=41)
    assert not run(csv_dataset(file), data_clerk).has_validation_errors()
    again = run(csv_dataset(file), data_clerk)
    assert set(errors_of(again)) == {1, 2}
    assert Appeal.objects.count() == 2 and AppealEvent.objects.count() == 2


def test_the_preview_writes_nothing(classifier, investor, data_clerk):
    data = csv_dataset(f"77,01.09.2025,{investor.organisation.inn},,{FACT},Тема,Текст,Решено,,,,\n")

    result = run(data, data_clerk, dry_run=True)

    assert result.totals["new"] == 1
    assert not Appeal.objects.exists() and counter() == 0


def test_a_file_without_the_required_columns_is_refused(classifier, data_clerk):
    data = tablib.Dataset(["1", "Тема"], headers=["Номер", "Тема"])

    result = run(data, data_clerk)

    assert [str(error.error) for error in result.base_errors] == [
        "В файле нет столбцов: «Дата подачи», «ИНН инвестора», «Код факта», «Статус». Первая строка файла должна "
        "содержать названия столбцов."
    ]
    assert not Appeal.objects.exists()


def test_the_applicant_is_the_first_investor_of_the_company(classifier, investor, make_user, data_clerk):
    make_user(Role.INVESTOR, organisation=investor.organisation)  # registered later
    run(csv_dataset(f"8,01.09.2025,{investor.organisation.inn},,{FACT},Тема,Текст,Решено,,,,\n"), data_clerk)

    assert Appeal.objects.get(number=8).applicant == investor
