"""Loading reference data (the region pack's fixtures/reference, core/region.py) by natural keys: safe to run any
number of times. Each loader reads the pack it is given, else the installation's own (settings.REGION_PACK)."""

import json
from pathlib import Path

from django.db import transaction

from core.models import (
    AppealType,
    Category,
    ChecklistItem,
    District,
    Fact,
    Industry,
    RequestPeriod,
    Subcategory,
    SupportMeasure,
)
from core.region import Region, current_region


def _load(name: str, pack: Region | None = None) -> dict:
    return json.loads(((pack or current_region()).reference_dir / name).read_text(encoding="utf-8"))


@transaction.atomic
def districts_load(*, path: Path | None = None, pack: Region | None = None) -> int:
    """Create or update districts by OKTMO code; returns how many rows the file has."""
    data = json.loads(path.read_text(encoding="utf-8")) if path else _load("districts.json", pack)
    for row in data["districts"]:
        District.objects.update_or_create(
            code=row["code"],
            defaults={"name": row["name"], "kind": row["kind"], "centre": row.get("centre", ""),
                      "order": row.get("order", 0)},
        )
    return len(data["districts"])


@transaction.atomic
def appeal_types_load(*, pack: Region | None = None) -> int:
    """Create missing appeal types; an existing type keeps the period an administrator may have changed."""
    rows = _load("appeal_types.json", pack)["appeal_types"]
    for row in rows:
        AppealType.objects.get_or_create(code=row["code"], defaults={k: v for k, v in row.items() if k != "code"})
    return len(rows)


@transaction.atomic
def classifier_load(*, pack: Region | None = None) -> int:
    """Create or update the classifier by codes; returns the number of facts in the file."""
    types = {t.code: t for t in AppealType.objects.all()}
    facts = 0
    for c in _load("classifier.json", pack)["categories"]:
        category, _ = Category.objects.update_or_create(
            code=c["code"],
            defaults={"name": c["name"], "short_name": c.get("short_name", ""), "order": c["order"],
                      "is_demo": c["is_demo"]},
        )
        for s in c["subcategories"]:
            subcategory, _ = Subcategory.objects.update_or_create(
                code=s["code"],
                defaults={"category": category, "name": s["name"], "order": s["order"], "is_demo": s["is_demo"]},
            )
            for f in s["facts"]:
                Fact.objects.update_or_create(
                    code=f["code"],
                    defaults={"subcategory": subcategory, "name": f["name"], "order": f["order"],
                              "is_demo": f["is_demo"], "appeal_type": types[f["appeal_type"]]},
                )
                facts += 1
    return facts


@transaction.atomic
def industries_load(*, pack: Region | None = None) -> int:
    """Create or update industries by code; returns how many the file has."""
    rows = _load("industries.json", pack)["industries"]
    for row in rows:
        Industry.objects.update_or_create(code=row["code"], defaults={"name": row["name"], "order": row["order"]})
    return len(rows)


@transaction.atomic
def checklist_load(*, pack: Region | None = None) -> int:
    """Create or update the support actions of each stage by code (seed: the stages 0–3 slide)."""
    rows = _load("checklist.json", pack)["checklist"]
    for row in rows:
        ChecklistItem.objects.update_or_create(
            code=row["code"], defaults={"stage": row["stage"], "name": row["name"], "order": row["order"]}
        )
    return len(rows)


@transaction.atomic
def support_measures_load(*, pack: Region | None = None) -> int:
    """Create or update the measures by code; a measure an administrator switched off stays off."""
    rows = _load("support_measures.json", pack)["support_measures"]
    for row in rows:
        SupportMeasure.objects.update_or_create(
            code=row["code"], defaults={"name": row["name"], "description": row.get("description", "")}
        )
    return len(rows)


@transaction.atomic
def request_periods_load(*, pack: Region | None = None) -> int:
    """Create missing periods (seed: «до 7 дней»); a period an administrator changed is kept."""
    rows = _load("request_periods.json", pack)["request_periods"]
    for row in rows:
        RequestPeriod.objects.get_or_create(kind=row["kind"], defaults={"days": row["days"]})
    return len(rows)
