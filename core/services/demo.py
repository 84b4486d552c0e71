"""Demo data for a development machine: invented organisations and one person per role.

Loaded by natural keys (ИНН, email), so running it again changes nothing. Never for production.
"""

import json
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.models import District, Organisation, User
from core.roles import Role
from core.services.roles import user_set_roles

DEMO_DIR = Path(settings.BASE_DIR) / "fixtures" / "demo"
DEMO_PASSWORD = "demo-koridor-2026"


def _read(name: str) -> list[dict]:
    data = json.loads((DEMO_DIR / name).read_text(encoding="utf-8"))
    return data[name.removesuffix(".json")]


def demo_users() -> list[dict]:
    """The demo logins as written in the fixture (for the banner and the README)."""
    return _read("users.json")


@transaction.atomic
def demo_load() -> dict[str, int]:
    organisations: dict[str, Organisation] = {}
    pending_people: list[tuple[Organisation, dict]] = []
    for row in _read("organisations.json"):
        fields = {k: v for k, v in row.items() if k not in {"key", "district", "personal_manager",
                                                             "district_commissioner", "inn"}}
        if row.get("district"):
            fields["district"] = District.objects.get(code=row["district"])
        org, _ = Organisation.objects.update_or_create(inn=row["inn"], defaults=fields)
        organisations[row["key"]] = org
        pending_people.append((org, row))

    for row in demo_users():
        fields = {k: v for k, v in row.items() if k not in {"email", "role", "organisation"}}
        fields["organisation"] = organisations[row["organisation"]]
        user, created = User.objects.update_or_create(email=row["email"], defaults=fields)
        if created or not user.has_usable_password():
            user.set_password(DEMO_PASSWORD)
            user.email_confirmed_at = user.membership_confirmed_at = timezone.now()
            user.save()
        user_set_roles(user=user, roles={Role(row["role"])})

    for org, row in pending_people:
        changed = False
        for field in ("personal_manager", "district_commissioner"):
            if row.get(field):
                setattr(org, field, User.objects.get(email=row[field]))
                changed = True
        if changed:
            org.save()
    return {"organisations": len(organisations), "users": len(demo_users())}
