from datetime import date

from django.core.management import call_command

from core.calendar import deadline_for
from core.models import AppealType, CalendarOverride, Category, Fact
from core.selectors.calendar import calendar_overrides

SEVEN = {
    "Вопросы бизнеса, связанные с поддержкой и сопровождением инвестора",
    "Вопросы бизнеса, связанные с кадрами",
    "Вопросы бизнеса, связанные со строительством",
    "Вопросы бизнеса, связанные с подключением к инженерным сетям",
    "Вопросы бизнеса, связанные с земельными отношениями и недвижимым имуществом",
    "Вопросы бизнеса, связанные с автомобильными дорогами и транспортом",
    "Вопросы бизнеса, связанные с экологией и природопользованием",
}


def test_reference_classifier_has_the_seven_categories_and_the_seed_facts(db):
    call_command("seed_reference", verbosity=0)
    assert set(Category.objects.values_list("name", flat=True)) == SEVEN
    assert {(t.code, t.period_days) for t in AppealType.objects.all()} == {
        ("consultation", 5), ("help", 10), ("problem", 20)
    }
    stream = Fact.objects.get(name__startswith="Требуется урегулирование разногласий")
    assert stream.subcategory.name == "Вопросы примыкания к автомобильным дорогам"
    assert stream.appeal_type.code == "problem" and not stream.is_demo
    assert Fact.objects.filter(is_demo=True).exists()  # invented items are marked as such


def test_reloading_keeps_an_administrators_period(db):
    call_command("seed_reference", verbosity=0)
    AppealType.objects.filter(code="help").update(period_days=7)
    call_command("seed_reference", verbosity=0)
    assert AppealType.objects.get(code="help").period_days == 7
    assert Fact.objects.count() == 13


def test_calendar_overrides_from_the_table(db):
    CalendarOverride.objects.create(date=date(2025, 12, 26), kind=CalendarOverride.Kind.DAY_OFF, comment="Тест")
    overrides = calendar_overrides()
    due = deadline_for(start=date(2025, 12, 25), period=10, day_kind="working", move_to_working_day=False,
                       overrides=overrides)
    assert due == date(2026, 1, 21)


def test_seed_reference_gives_the_seven_categories_short_names_on_an_existing_database(db):
    call_command("seed_reference", verbosity=0)
    Category.objects.update(short_name="")  # a database from before the short names
    call_command("seed_reference", verbosity=0)
    shorts = dict(Category.objects.values_list("name", "short_name"))
    assert shorts["Вопросы бизнеса, связанные со строительством"] == "Строительство"
    assert shorts["Вопросы бизнеса, связанные с кадрами"] == "Кадры"
    assert len(set(shorts.values())) == 7  # the chart can tell every bar apart
    assert all(0 < len(short) <= 24 and not short.startswith("Вопросы") for short in shorts.values())
