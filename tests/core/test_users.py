import pytest
from django.contrib.auth import authenticate
from django.db import IntegrityError, transaction

from core.models import User
from tests.factories import UserFactory


def test_email_is_the_login_and_is_case_insensitive(db):
    user = User.objects.create_user("Ivanova@Example.RU", "correct-horse-1", last_name="Иванова", first_name="Анна")
    assert user.email == "ivanova@example.ru"
    assert authenticate(username="IVANOVA@example.ru", password="correct-horse-1") == user
    assert authenticate(username="ivanova@example.ru", password="wrong") is None
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user("IVANOVA@example.ru", "x", last_name="Дубль", first_name="Анна")


def test_names_in_official_and_polite_order(db):
    user = UserFactory.build(last_name="Петрова", first_name="Мария", middle_name="Ивановна")
    assert user.full_name == "Петрова Мария Ивановна"
    assert user.polite_name == "Мария Ивановна Петрова"
    assert str(user) == "Петрова Мария Ивановна"
    assert UserFactory.build(last_name="Ли", first_name="Анна", middle_name="").full_name == "Ли Анна"
    # a letter greets by name and patronymic; without a patronymic, by the name in full
    assert user.salutation == "Мария Ивановна"
    assert UserFactory.build(last_name="Ли", first_name="Анна", middle_name="").salutation == "Анна Ли"


def test_superuser_is_confirmed_staff(db):
    root = User.objects.create_superuser("root@zk.example", "pw-123456789", last_name="Root", first_name="Root")
    assert root.is_staff and root.is_superuser and root.email_confirmed
