import pytest
from django.core.exceptions import ValidationError

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


def test_kpp():
    assert is_valid_kpp("470301001")
    assert is_valid_kpp("7701AB001")
    assert not is_valid_kpp("47030100")
    assert not is_valid_kpp("4703ab001")


def test_phone_normalisation_and_validation():
    assert normalize_phone("8 (921) 123-45-67") == "+79211234567"
    assert normalize_phone("+7 921 123 45 67") == "+79211234567"
    validate_phone("+7 (921) 123-45-67")
    for bad in ["12345", "+7 921 123-45-67 доб", "телефон"]:
        with pytest.raises(ValidationError):
            validate_phone(bad)
