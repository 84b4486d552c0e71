import random

import pytest
from django.core.exceptions import ValidationError
from stdnum.ru import inn as stdnum_inn
from stdnum.ru import ogrn as stdnum_ogrn

from core.validators import (
    is_valid_inn,
    is_valid_kpp,
    is_valid_ogrn,
    normalize_phone,
    validate_inn,
    validate_ogrn,
    validate_phone,
)


@pytest.mark.parametrize(
    "inn",
    [
        "9704098567",  # ООО from the seed's appeal #724
        "7830002293",  # 10-digit organisation
        "500100732259",  # 12-digit individual
    ],
)
def test_valid_inn(inn):
    assert is_valid_inn(inn)
    validate_inn(inn)


@pytest.mark.parametrize(
    "inn",
    ["9704098568", "970409856", "97040985670", "500100732258", "500100732269", "97040985б7", "", "٩٧٠٤٠٩٨٥٦٧"],
)
def test_invalid_inn_raises_russian_error(inn):
    assert not is_valid_inn(inn)
    with pytest.raises(ValidationError) as error:
        validate_inn(inn)
    assert "Неверный ИНН" in error.value.messages[0]


@pytest.mark.parametrize("ogrn", ["1217700535678", "1027700132195", "304500116000157"])
def test_valid_ogrn_and_ogrnip(ogrn):
    assert is_valid_ogrn(ogrn)
    validate_ogrn(ogrn)


@pytest.mark.parametrize("ogrn", ["1217700535679", "121770053567", "304500116000158", "12177005356a8"])
def test_invalid_ogrn(ogrn):
    with pytest.raises(ValidationError) as error:
        validate_ogrn(ogrn)
    assert "Неверный ОГРН" in error.value.messages[0]


@pytest.mark.parametrize(
    ("ogrn", "why"),
    [
        ("0775039934064", "13 digits starting with 0 (check digit right)"),
        ("282652269717881", "ОГРНИП not starting with 3 or 4 (check digit right)"),
        ("304500116000180", "ОГРНИП whose remainder mod 13 is 10 (the old check took its last digit)"),
        (" 1217700535678", "a leading space"),
        ("1217700535678\x00", "a NUL byte"),
    ],
)
def test_ogrn_cases_the_old_check_accepted(ogrn, why):
    with pytest.raises(ValidationError) as error:
        validate_ogrn(ogrn)
    assert error.value.messages == [
        "Неверный ОГРН: нужно 13 цифр (или 15 для ОГРНИП), контрольная цифра должна сходиться."
    ], why


def _inn_corpus(rng: random.Random) -> list[str]:
    """Valid ИНН of both lengths built with stdnum's check digits, plus each with one digit changed."""
    numbers = []
    for _ in range(1500):
        company = "".join(rng.choices("0123456789", k=9))
        company += stdnum_inn.calc_company_check_digit(company)
        person = "".join(rng.choices("0123456789", k=10))
        person += stdnum_inn.calc_personal_check_digits(person)
        numbers += [company, person]
    return numbers + [_mutate(rng, number) for number in numbers]


def _ogrn_corpus(rng: random.Random) -> list[str]:
    """ОГРН/ОГРНИП with every first digit (valid and not) and right check digits, plus mutated ones."""
    numbers = []
    for _ in range(1500):
        for length in (13, 15):
            body = "".join(rng.choices("0123456789", k=length - 1))
            check = stdnum_ogrn.calc_check_digit(body + "0")
            numbers.append(body + (check if len(check) == 1 else rng.choice("0123456789")))
    return numbers + [_mutate(rng, number) for number in numbers]


def _mutate(rng: random.Random, number: str) -> str:
    """One of: a digit changed, a digit dropped, a digit added, a letter or a non-ASCII digit put in."""
    position = rng.randrange(len(number))
    kind = rng.randrange(5)
    if kind == 0:
        return number[:position] + str((int(number[position]) + rng.randrange(1, 10)) % 10) + number[position + 1 :]
    if kind == 1:
        return number[:position] + number[position + 1 :]
    if kind == 2:
        return number[:position] + rng.choice("0123456789") + number[position:]
    return number[:position] + rng.choice("бO٣²") + number[position + 1 :]


def test_inn_agrees_with_stdnum_on_a_generated_corpus():
    corpus = _inn_corpus(random.Random(11))
    assert sum(map(stdnum_inn.is_valid, corpus)) > 3000  # the corpus holds both valid and invalid numbers
    disagreements = [number for number in corpus if is_valid_inn(number) != stdnum_inn.is_valid(number)]
    assert disagreements == []


def test_ogrn_agrees_with_stdnum_on_a_generated_corpus():
    corpus = _ogrn_corpus(random.Random(11))
    valid = sum(map(stdnum_ogrn.is_valid, corpus))
    assert 500 < valid < len(corpus) - 500
    disagreements = [number for number in corpus if is_valid_ogrn(number) != stdnum_ogrn.is_valid(number)]
    assert disagreements == []


def test_kpp():
    assert is_valid_kpp("470301001")
    assert is_valid_kpp("7701AB001")
    assert not is_valid_kpp("47030100")
    assert not is_valid_kpp("4703ab001")
    assert not is_valid_kpp("٤٧٠٣٠١٠٠١")  # Arabic-Indic digits


def test_phone_normalisation_and_validation():
    assert normalize_phone("8 (921) 123-45-67") == "+79211234567"
    assert normalize_phone("+7 921 123 45 67") == "+79211234567"
    validate_phone("+7 (921) 123-45-67")
    for bad in ["12345", "+7 921 123-45-67 доб", "телефон"]:
        with pytest.raises(ValidationError):
            validate_phone(bad)
