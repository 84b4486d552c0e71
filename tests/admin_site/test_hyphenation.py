"""Soft hyphens in report column headers: long words break between syllables, short ones never."""

import pytest

from admin_site.hyphenation import SOFT_HYPHEN, hyphenated


def shown(text: str) -> str:
    return text.replace(SOFT_HYPHEN, "-")


@pytest.mark.parametrize(("header", "breaks"), [
    ("Прединвестиционный этап", "Пре-дин-вес-ти-ци-он-ный этап"),
    ("Количество просроченных", "Ко-ли-чес-тво прос-ро-чен-ных"),
    ("Принят на сопровождение", "Принят на соп-ро-вож-де-ние"),
    ("Объединённых", "Объ-еди-нён-ных"),  # ъ stays with the letters before it
])
def test_long_words_break_between_syllables(header, breaks):
    assert shown(hyphenated(header)) == breaks


def test_short_words_numbers_and_latin_stay_whole():
    for text in ("Средняя оценка ответа", "Полнота, баллов из 100", "Встреч в этом месяце", "МРГ", "Inventory"):
        assert hyphenated(text) == text


def test_the_text_reads_the_same_without_the_soft_hyphens():
    header = "Эксплуатационный этап, Исполнитель / классификатор"
    assert hyphenated(header).replace(SOFT_HYPHEN, "") == header
    parts = hyphenated(header).replace(",", " ").replace("/", " ")
    assert all(len(part) >= 2 for word in parts.split() for part in word.split(SOFT_HYPHEN))
