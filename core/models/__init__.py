from core.models.answers import AnswerTemplate, FaqEntry
from core.models.api_tokens import ApiToken, ApiTokenScope
from core.models.appeals import Appeal, AppealAnswer, AppealEscalation, AppealEvent, AppealFile, Counter
from core.models.classifier import AppealType, CalendarOverride, Category, Fact, Subcategory
from core.models.consent import PersonalDataConsent
from core.models.documents import DocumentTemplate
from core.models.drafts import DraftJob, DraftKind
from core.models.exports import ExportJob, SavedFilter
from core.models.notifications import Notification, NotificationOptOut
from core.models.organisations import District, Organisation
from core.models.projects import (
    CalendarFeed,
    ChecklistItem,
    ChecklistMark,
    Industry,
    LandPlot,
    Meeting,
    ParticipantRequest,
    Project,
    ProjectDocument,
    ProjectEvent,
    ProjectMeasure,
    RequestPeriod,
    RoadmapItem,
    SupportMeasure,
    Task,
)
from core.models.search import SearchEntry
from core.models.uploads import HeldUpload
from core.models.users import User
from core.models.webhooks import WebhookDelivery, WebhookEvent, WebhookSubscription

__all__ = [
    "AnswerTemplate",
    "ApiToken",
    "ApiTokenScope",
    "Appeal",
    "AppealAnswer",
    "AppealEscalation",
    "AppealEvent",
    "AppealFile",
    "AppealType",
    "CalendarFeed",
    "CalendarOverride",
    "Category",
    "ChecklistItem",
    "ChecklistMark",
    "Counter",
    "District",
    "DocumentTemplate",
    "DraftJob",
    "DraftKind",
    "ExportJob",
    "Fact",
    "FaqEntry",
    "HeldUpload",
    "Industry",
    "LandPlot",
    "Meeting",
    "Notification",
    "NotificationOptOut",
    "Organisation",
    "ParticipantRequest",
    "PersonalDataConsent",
    "Project",
    "ProjectDocument",
    "ProjectEvent",
    "ProjectMeasure",
    "RequestPeriod",
    "RoadmapItem",
    "SavedFilter",
    "SearchEntry",
    "Subcategory",
    "SupportMeasure",
    "Task",
    "User",
    "WebhookDelivery",
    "WebhookEvent",
    "WebhookSubscription",
]
