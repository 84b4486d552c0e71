"""The federal feedback platform ПОС (Платформа обратной связи on Госуслуги): messages the agency downloads from it
become appeals through the staff intake (core.workflows.appeals.appeal_submit, channel ПОС); docs/integrations/pos.md.

ПОС files a message under one of the seven federal categories, which are our classifier's categories (their codes
«01»…«07»), and knows nothing of our facts. A message lands on the first active fact, in classifier order, of its
subcategory, or of its category when no subcategory is given: the fact fixes the type and so the deadline, and the
coordinator who moderates the appeal reclassifies it if another fact fits better.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from core.choices import AppealChannel
from core.models import Appeal, Fact, User
from core.services.organisations import investor_get_or_create
from core.workflows.appeals import appeal_submit

POS_NUMBER_MAX = Appeal._meta.get_field("pos_number").max_length
_POS_NUMBER = re.compile(r"^[0-9A-Za-z][0-9A-Za-z/-]*$")
_LEADING_CODE = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2})?)(?![\d.]\d)[\s.:)—-]*")  # «03», «3.», «03.01 Разрешение…»


def _normal(text: str) -> str:
    return " ".join(text.replace("ё", "е").replace("Ё", "Е").split()).casefold()


def pos_number_clean(value: str) -> str:
    """The message's number as ПОС shows it (digits, possibly letters, «-» and «/»); ValueError in Russian."""
    number = value.strip().lstrip("№#").strip()
    if not number:
        raise ValueError(gettext("Укажите номер сообщения ПОС."))
    if len(number) > POS_NUMBER_MAX or not _POS_NUMBER.match(number):
        raise ValueError(gettext("Номер сообщения «%(value)s» не похож на номер ПОС: нужны цифры (и латинские "
                                 "буквы, «-», «/»), не длиннее %(limit)s знаков.") % {"value": number,
                                                                                         "limit": POS_NUMBER_MAX})
    return number


@dataclass
class _Node:
    code: str
    name: str
    facts: list[Fact] = field(default_factory=list)  # active facts in classifier order


class FederalClassifier:
    """Active facts by federal category and by subcategory, read once (facts_active()) for a whole file."""

    def __init__(self, facts: Iterable[Fact]) -> None:
        self.categories: dict[str, _Node] = {}
        self.subcategories: dict[str, dict[str, _Node]] = {}  # category code -> code and normalised name -> node
        for fact in facts:
            subcategory = fact.subcategory
            category = subcategory.category
            self.categories.setdefault(category.code, _Node(category.code, category.name)).facts.append(fact)
            known = self.subcategories.setdefault(category.code, {})
            node = known.setdefault(subcategory.code, _Node(subcategory.code, subcategory.name))
            known.setdefault(_normal(subcategory.name), node)
            node.facts.append(fact)
        self.category_names = {_normal(node.name): code for code, node in self.categories.items()}

    def _category(self, value: str) -> _Node | None:
        if (code := self.category_names.get(_normal(value))) is not None:
            return self.categories[code]
        match = _LEADING_CODE.match(value)
        if match is None or "." in match.group(1):
            return None
        return self.categories.get(match.group(1).zfill(2))

    def _subcategory(self, category: _Node, value: str) -> _Node | None:
        known = self.subcategories.get(category.code, {})
        if (node := known.get(_normal(value))) is not None:
            return node
        match = _LEADING_CODE.match(value)
        if match is None:
            return None
        code = match.group(1)
        if "." not in code:  # «01» within category 03 means 03.01
            code = f"{category.code}.{code.zfill(2)}"
        return known.get(code)

    def fact_for(self, *, category: str, subcategory: str = "") -> Fact:
        """The fact a ПОС message lands on; ValidationError keyed `category` or `subcategory` when nothing matches."""
        category, subcategory = category.strip(), subcategory.strip()
        if not category:
            raise ValidationError({"category": [gettext("Укажите категорию сообщения: код от 01 до 07 или её "
                                                        "название.")]})
        found = self._category(category)
        if found is None:
            raise ValidationError({"category": [gettext(
                "Категории «%(value)s» нет среди действующих категорий классификатора: укажите код (01–07) или "
                "название федеральной категории.") % {"value": category}]})
        if not subcategory:
            return found.facts[0]
        node = self._subcategory(found, subcategory)
        if node is None:
            raise ValidationError({"subcategory": [gettext(
                "В категории %(code)s нет действующей подкатегории «%(value)s»: укажите её код или название, как в "
                "классификаторе, или оставьте ячейку пустой.") % {"code": found.code, "value": subcategory}]})
        return node.facts[0]


def pos_subject(*, subject: str, pos_number: str) -> str:
    """A ПОС message may come without a title: the appeal is then named after its number."""
    return subject.strip() or gettext("Сообщение ПОС №%(number)s") % {"number": pos_number}


def pos_appeal_register(
    *,
    actor: User,
    pos_number: str,
    received_at: datetime | None,
    fact: Fact,
    subject: str,
    text: str,
    inn: str,
    organisation_name: str = "",
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
) -> Appeal:
    """One ПОС message as an appeal: its company found by ИНН (or added from the name in the file), then the staff
    intake with the channel ПОС, the moment ПОС received it and its number. All or nothing; a Russian
    ValidationError keyed by the appeal's fields (`organisation_inn`, `contact_email`, `pos_number`, …)."""
    with transaction.atomic():
        company, _created = investor_get_or_create(inn=inn, name=organisation_name, actor=actor)
        return appeal_submit(
            actor=actor, organisation=company, channel=AppealChannel.POS, received_at=received_at,
            pos_number=pos_number, fact=fact, subject=pos_subject(subject=subject, pos_number=pos_number),
            description=text, contact_name=contact_name, contact_email=contact_email, contact_phone=contact_phone,
        )
