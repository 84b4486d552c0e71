"""Who is told what when something happens. The doors call these inside their transaction; each call writes
outbox rows (core.services.notifications.notify) and the webhook deliveries of the same change
(core.services.webhooks.webhook_emit), so a rolled-back change tells nobody anything."""

from django.db.models import QuerySet

from core.choices import MeetingStatus, ProjectStage
from core.documents.ics import meeting_ics
from core.models import (
    Appeal,
    AppealEvent,
    Meeting,
    ParticipantRequest,
    Project,
    ProjectEvent,
    Task,
    User,
    WebhookEvent,
)
from core.notifications.links import appeal_action_link
from core.roles import Role
from core.selectors.visibility import is_investor
from core.services.notifications import notify
from core.services.webhooks import webhook_emit


def company_members(organisation_id: int | None) -> QuerySet[User]:
    """The investor company's people who may follow its appeals and projects."""
    return User.objects.filter(
        organisation_id=organisation_id, is_active=True, is_staff=False, membership_confirmed_at__isnull=False,
        groups__name=Role.INVESTOR.group_name,
    ).distinct()


def organisation_staff(organisation_id: int | None) -> QuerySet[User]:
    return User.objects.filter(organisation_id=organisation_id, is_active=True, is_staff=True)


def organisation_heads(organisation_id: int | None) -> QuerySet[User]:
    return organisation_staff(organisation_id).filter(groups__name=Role.HEAD.group_name).distinct()


def agency_coordinators() -> QuerySet[User]:
    from core.choices import OrganisationKind

    return User.objects.filter(
        is_active=True, is_staff=True, organisation__kind=OrganisationKind.AGENCY,
        groups__name=Role.COORDINATOR.group_name,
    ).distinct()


def _executor_side(appeal: Appeal) -> list[User | None]:
    """Who executes the appeal now: its manager, else the executor organisation's heads (after a redirect the
    appeal's head stays the agency's), else the appeal's head."""
    if appeal.manager_id:
        return [appeal.manager]
    heads = list(organisation_heads(appeal.executor_organisation_id))
    return heads or [appeal.head]


def investor_side(appeal: Appeal) -> list[User | None]:
    """Who hears from the agency about the appeal: the applicant, or — for an appeal registered by staff — the
    company's portal users (contact-only appeals are told by e-mail to the contact, see notify's `emails`)."""
    if appeal.applicant_id:
        return [appeal.applicant]
    return list(company_members(appeal.organisation_id))


def contact_side(appeal: Appeal) -> list[tuple[str, str]]:
    """The contact person's (name, e-mail) when nobody of the company can follow the appeal in the portal: they
    get the investor's letters, without links (they have no account)."""
    if appeal.applicant_id or not appeal.contact_email or company_members(appeal.organisation_id).exists():
        return []
    return [(appeal.contact_name, appeal.contact_email)]


def _approvers(appeal: Appeal) -> list[User | None]:
    organisation = appeal.executor_organisation
    if (organisation and organisation.approves_own_answers and appeal.executor_approved_at is None
            and organisation.kind != "agency"):
        return list(organisation_heads(organisation.pk))
    return [appeal.head] if appeal.head_id else list(organisation_heads(appeal.executor_organisation_id))


# --- appeals ---------------------------------------------------------------------------------------------
def appeal_submitted(*, appeal: Appeal, event: AppealEvent) -> None:
    level = str(event.pk)
    webhook_emit(event=WebhookEvent.APPEAL_CREATED, obj=appeal, level=level)
    notify(event="appeal_registered", obj=appeal, recipients=investor_side(appeal), level=level,
           emails=contact_side(appeal))
    staff = [appeal.head] if appeal.to_director else (
        [appeal.coordinator] if appeal.coordinator_id else list(agency_coordinators())
    )
    notify(event="appeal_new", obj=appeal, recipients=staff, level=level, actor=event.actor)


def appeal_changed(*, appeal: Appeal, event: AppealEvent, actor: User, note: str = "") -> None:
    """After a step of the appeal door: `event` is the history row just written; `note` is the typed text kept
    internal (staff letters show it as «Служебный комментарий», the investor's never)."""
    name, level = event.name, str(event.pk)
    ctx = {"history": event, "note": note}
    _appeal_webhooks(appeal=appeal, event=event)

    def send(code: str, recipients, emails=(), **extra) -> None:
        notify(event=code, obj=appeal, recipients=recipients, level=level, context={**ctx, **extra}, actor=actor,
               emails=emails)

    investors = investor_side(appeal)
    contacts = [] if investors else contact_side(appeal)
    if name == "reject":
        send("appeal_rejected", investors, contacts)
    elif name == "assign":
        send("appeal_assigned", [appeal.manager, appeal.coordinator])
    elif name == "redirect":
        send("appeal_redirected", [*_executor_side(appeal), appeal.coordinator])
    elif name == "request_clarification":
        send("appeal_clarification_requested", investors, contacts,
             reply_link=appeal_action_link(appeal, "provide_clarification"))
    elif name == "provide_clarification":
        send("appeal_clarification_provided", _executor_side(appeal))
    elif name in {"submit_for_approval", "approve_by_executor"}:
        send("appeal_awaiting_approval", _approvers(appeal))
    elif name == "appoint_manager":
        send("appeal_assigned", [appeal.manager])
    elif name == "return_to_executor":
        send("appeal_returned_to_executor", [appeal.answered_by, appeal.manager])
    elif name == "approve":
        send("appeal_answered", investors, contacts, rate_link=appeal_action_link(appeal, "rate"),
             rework_link=appeal_action_link(appeal, "send_back_for_rework"))
    elif name == "send_back_for_rework":
        send("appeal_rework", [appeal.manager, appeal.head, appeal.coordinator])
    elif name == "extend_deadline":
        send("appeal_deadline_extended", [*investors, appeal.coordinator, appeal.manager], contacts)
    elif name == "close":  # the outcome; the closing text only where it is public (else it is in `note`)
        send("appeal_closed", investors, contacts)
    elif name == "comment":  # an investor's words to those who work on it; staff words the investor may read
        if is_investor(actor):
            send("appeal_comment", [*_executor_side(appeal), appeal.coordinator], from_investor=True)
        elif event.is_public:
            send("appeal_comment", investors, contacts)
    elif name == "schedule_meeting":
        meeting_changed(meeting=event.meeting, actor=actor, created=True)
    elif name == "change_meeting":
        meeting_changed(meeting=event.meeting, actor=actor, created=False)


def _appeal_webhooks(*, appeal: Appeal, event: AppealEvent) -> None:
    """The webhook events of a door step: public facts only, never the step's text (see webhook_emit)."""
    level = str(event.pk)
    if event.from_status != event.to_status:
        webhook_emit(event=WebhookEvent.APPEAL_STATUS_CHANGED, obj=appeal, level=level,
                     previous_status=event.from_status)
    if event.name == "approve":
        webhook_emit(event=WebhookEvent.APPEAL_ANSWERED, obj=appeal, level=level,
                     answered_at=appeal.answered_at.isoformat() if appeal.answered_at else None)
    elif event.name == "rate":
        webhook_emit(event=WebhookEvent.APPEAL_RATED, obj=appeal, level=level, rating=(event.data or {}).get("rating"),
                     round=(event.data or {}).get("round"))


# --- projects --------------------------------------------------------------------------------------------
def project_stage_changed(*, project: Project, event: ProjectEvent, actor: User) -> None:
    if project.stage == ProjectStage.APPLICATION and not event.from_stage:
        return
    webhook_emit(event=WebhookEvent.PROJECT_STAGE_CHANGED, obj=project, level=str(event.pk),
                 previous_stage=event.from_stage)
    notify(event="project_stage_changed", obj=project, recipients=company_members(project.investor_id),
           level=str(event.pk), context={"history": event}, actor=actor)


def task_assigned(*, task: Task, actor: User) -> None:
    notify(event="task_assigned", obj=task, recipients=[task.assignee], actor=actor)


def meeting_changed(*, meeting: Meeting, actor: User, created: bool) -> None:
    """Scheduled, changed or cancelled: each participant gets the meeting's .ics, which replaces the earlier
    copy in their calendar (same UID, higher SEQUENCE). Webhook subscribers hear of every change, held too."""
    webhook_emit(event=WebhookEvent.MEETING_CHANGED, obj=meeting, level=f"{meeting.status}:{meeting.sequence}")
    if meeting.status == MeetingStatus.CANCELLED:
        code = "meeting_cancelled"
    elif created:
        code = "meeting_scheduled"
    elif meeting.status == MeetingStatus.PLANNED:
        code = "meeting_changed"
    else:  # held: the minutes are on the project page, nothing to put in a calendar
        return
    project = meeting.project
    recipients = [*meeting.participants.all(), project.personal_manager if project else None]
    notify(event=code, obj=meeting, recipients=recipients, level=str(meeting.sequence), actor=actor,
           attachment=("meeting.ics", "text/calendar", meeting_ics(meeting)))


def request_sent(*, request: ParticipantRequest, actor: User) -> None:
    notify(event="request_sent", obj=request, recipients=organisation_staff(request.organisation_id), actor=actor)
