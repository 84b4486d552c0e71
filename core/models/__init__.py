from core.models.classifier import AppealType, CalendarOverride, Category, Fact, Subcategory
from core.models.consent import PersonalDataConsent
from core.models.organisations import District, Organisation
from core.models.users import User

__all__ = [
    "AppealType",
    "CalendarOverride",
    "Category",
    "District",
    "Fact",
    "Organisation",
    "PersonalDataConsent",
    "Subcategory",
    "User",
]
