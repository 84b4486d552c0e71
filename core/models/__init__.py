from core.models.appeals import Appeal, AppealEvent, AppealFile, Counter
from core.models.classifier import AppealType, CalendarOverride, Category, Fact, Subcategory
from core.models.consent import PersonalDataConsent
from core.models.organisations import District, Organisation
from core.models.users import User

__all__ = [
    "Appeal",
    "AppealEvent",
    "AppealFile",
    "AppealType",
    "CalendarOverride",
    "Category",
    "Counter",
    "District",
    "Fact",
    "Organisation",
    "PersonalDataConsent",
    "Subcategory",
    "User",
]
