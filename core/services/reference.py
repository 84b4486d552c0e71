"""Loading reference data (fixtures/reference) by natural keys: safe to run any number of times."""

import json
from pathlib import Path

from django.conf import settings
from django.db import transaction

from core.models import District

REFERENCE_DIR = Path(settings.BASE_DIR) / "fixtures" / "reference"


def _load(name: str) -> dict:
    return json.loads((REFERENCE_DIR / name).read_text(encoding="utf-8"))


@transaction.atomic
def districts_load(*, path: Path | None = None) -> int:
    """Create or update districts by OKTMO code; returns how many rows the file has."""
    data = json.loads(path.read_text(encoding="utf-8")) if path else _load("districts.json")
    for row in data["districts"]:
        District.objects.update_or_create(
            code=row["code"],
            defaults={"name": row["name"], "kind": row["kind"], "centre": row.get("centre", ""),
                      "order": row.get("order", 0)},
        )
    return len(data["districts"])
