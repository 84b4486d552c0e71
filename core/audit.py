"""What django-auditlog records. Every model of the domain is registered here, in one place."""

from auditlog.registry import auditlog


def register_models() -> None:
    from django.contrib.auth.models import Group

    from core.models import (
        AnswerTemplate,
        Appeal,
        AppealFile,
        AppealType,
        CalendarOverride,
        Category,
        ChecklistMark,
        District,
        Fact,
        FaqEntry,
        LandPlot,
        Meeting,
        Organisation,
        ParticipantRequest,
        PersonalDataConsent,
        Project,
        ProjectDocument,
        ProjectMeasure,
        RoadmapItem,
        Subcategory,
        Task,
        User,
        WebhookSubscription,
    )

    auditlog.register(District)
    auditlog.register(Organisation)
    auditlog.register(User, exclude_fields=["password", "last_login"], m2m_fields={"groups"})
    auditlog.register(Group, m2m_fields={"permissions"})  # a role: who granted or took which right, and when
    auditlog.register(PersonalDataConsent)
    for model in (AppealType, Category, Subcategory, Fact, CalendarOverride):
        auditlog.register(model)
    auditlog.register(Appeal, exclude_fields=["updated_at", "next_alert_at"])  # (next_alert_at: derived)
    auditlog.register(AppealFile)
    for model in (Project, LandPlot, ChecklistMark, ProjectMeasure, ProjectDocument, RoadmapItem, Meeting,
                  ParticipantRequest):
        auditlog.register(model, exclude_fields=["updated_at"] if model is Project else None)
    auditlog.register(Task, exclude_fields=["updated_at"])
    auditlog.register(WebhookSubscription, exclude_fields=["secret"])  # who pointed events where; never the secret
    # who changed a template or an FAQ entry before it was published (the usage count is no one's edit)
    auditlog.register(AnswerTemplate, exclude_fields=["updated_at", "usage_count"])
    auditlog.register(FaqEntry, exclude_fields=["updated_at"])
