from core.models.consent import PersonalDataConsent
from core.models.organisations import District, Organisation
from core.models.users import User

__all__ = ["District", "Organisation", "PersonalDataConsent", "User"]
