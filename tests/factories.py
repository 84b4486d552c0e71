import itertools

import factory
from django.utils import timezone

from core.choices import OrganisationKind
from core.models import District, Organisation, User
from core.validators import _INN10_WEIGHTS, _check_digit

_serial = itertools.count(1)
TEST_PASSWORD = "Zelenyi-koridor-2025"  # every factory-made user logs in with it


def valid_inn() -> str:
    """A fresh 10-digit ИНН with a correct check digit (region 47)."""
    body = f"47{next(_serial):07d}"
    return body + str(_check_digit(body, _INN10_WEIGHTS))


def valid_ogrn() -> str:
    body = f"10247{next(_serial):07d}"
    return body + str(int(body) % 11 % 10)


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"4199{n:04d}")
    name = factory.Sequence(lambda n: f"Тестовый район {n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = OrganisationKind.INVESTOR
    full_name = factory.Sequence(lambda n: f"Общество с ограниченной ответственностью «Тест {n}»")
    short_name = factory.Sequence(lambda n: f"ООО «Тест {n}»")
    inn = factory.LazyFunction(valid_inn)
    ogrn = factory.LazyFunction(valid_ogrn)
    district = factory.Maybe(
        factory.LazyAttribute(lambda o: o.kind == OrganisationKind.OMSU), factory.SubFactory(DistrictFactory), None
    )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@test.zk.example")
    last_name = "Тестов"
    first_name = factory.Sequence(lambda n: f"Иван{n}")
    middle_name = "Петрович"
    phone = "+7 900 000-00-00"
    organisation = factory.SubFactory(OrganisationFactory)
    email_confirmed_at = factory.LazyFunction(timezone.now)
    membership_confirmed_at = factory.LazyFunction(timezone.now)
    password = factory.django.Password(TEST_PASSWORD)
