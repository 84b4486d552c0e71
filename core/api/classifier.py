"""The classifier an appeal is filed under: active categories → subcategories → facts, with each fact's type and
response period (the same tree the portal's selects offer)."""

from django.http import HttpRequest
from ninja import Router, Schema

from core.api.common import READ_ERRORS
from core.selectors.classifier import facts_active

router = Router(tags=["Классификатор"])


class FactOut(Schema):
    id: int
    code: str
    name: str
    appeal_type: str
    period_days: int
    day_kind: str


class SubcategoryOut(Schema):
    id: int
    code: str
    name: str
    facts: list[FactOut]


class CategoryOut(Schema):
    id: int
    code: str
    name: str
    subcategories: list[SubcategoryOut]


@router.get("", response={200: list[CategoryOut], **READ_ERRORS}, operation_id="classifier_tree",
            summary="Действующий классификатор обращений")
def classifier_tree(request: HttpRequest):
    tree: list[dict] = []
    for fact in facts_active():  # one query, in tree order
        subcategory, category = fact.subcategory, fact.subcategory.category
        if not tree or tree[-1]["id"] != category.pk:
            tree.append({"id": category.pk, "code": category.code, "name": category.name, "subcategories": []})
        branch = tree[-1]["subcategories"]
        if not branch or branch[-1]["id"] != subcategory.pk:
            branch.append({"id": subcategory.pk, "code": subcategory.code, "name": subcategory.name, "facts": []})
        kind = fact.appeal_type
        branch[-1]["facts"].append({"id": fact.pk, "code": fact.code, "name": fact.name, "appeal_type": kind.name,
                                    "period_days": kind.period_days, "day_kind": kind.day_kind})
    return tree
