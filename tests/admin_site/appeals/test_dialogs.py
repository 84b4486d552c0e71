"""The appeal card's dialogs (issue 10): who reads the typed text, the moderator's correction, the responsible
person of the executor body, meetings, the МРГ, the roles after a redirect and the answer rounds on the card."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.choices import AppealEventKind, AppealStatus, MeetingFormat, OrganisationKind
from core.models import Appeal, AppealEscalation, Meeting
from core.roles import Role
from tests.admin_site.appeals.helpers import act, action_url, card_url, pdf, people_offered, post_action
from tests.admin_site.helpers import page_text
from tests.factories import OrganisationFactory

S = AppealStatus


def portal_text(client, appeal) -> str:
    return page_text(client.get(reverse("portal:appeal_detail", args=[appeal.pk])))


@pytest.fixture
def omsu_head(make_user, omsu):
    return make_user(Role.HEAD, organisation=omsu, email="omsu-head@test.zk.example", phone="+7 812 000-00-01")


@pytest.fixture
def in_work(assigned, manager):
    return act(assigned, "take_into_work", manager)


@pytest.fixture
def approval(in_work, manager):
    return act(in_work, "submit_for_approval", manager, answer_text="Проект ответа агентства")


# --- who reads the text ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("state", "who", "name", "switch_on"),
    [
        ("appeal", "coordinator", "assign", False),
        ("assigned", "manager", "redirect", False),
        ("assigned", "coordinator", "appoint_manager", False),
        ("assigned", "manager", "take_into_work", False),
        ("in_work", "coordinator", "extend_deadline", True),
        ("in_work", "coordinator", "reclassify", False),
        ("approval", "head", "return_to_executor", False),
    ],
)
def test_a_dialog_with_a_choice_offers_visible_to_the_investor(request, login, state, who, name, switch_on):
    appeal = request.getfixturevalue(state)
    response = login(request.getfixturevalue(who)).get(action_url(appeal, name))
    assert "Видно инвестору" in page_text(response)
    switch = re.search(r'<input type="checkbox" name="text_public"[^>]*>', response.content.decode()).group(0)
    assert bool(re.search(r'\schecked(\s|>|=)', switch)) is switch_on


@pytest.mark.parametrize(
    ("state", "who", "name", "line"),
    [
        ("appeal", "coordinator", "reject", "Этот текст увидит инвестор"),
        ("in_work", "manager", "request_clarification", "Этот текст увидит инвестор"),
        ("in_work", "manager", "submit_for_approval", "Пока руководитель не согласовал ответ, его видят только"),
        ("approval", "head", "approve", "Этот текст видят только сотрудники"),
        ("appeal", "coordinator", "correct", "Этот текст видят только сотрудники"),
        ("in_work", "manager", "schedule_meeting", "Этот текст увидит инвестор"),
    ],
)
def test_a_dialog_with_a_fixed_audience_says_who_reads_the_text(request, login, state, who, name, line):
    appeal = request.getfixturevalue(state)
    response = login(request.getfixturevalue(who)).get(action_url(appeal, name))
    text = page_text(response)
    assert line in text
    assert 'name="text_public"' not in response.content.decode()


def test_the_comment_box_keeps_its_own_choice(login, coordinator, assigned):
    html = login(coordinator).get(card_url(assigned)).content.decode()
    assert 'name="is_public"' in html and 'name="text_public"' not in html


@pytest.mark.parametrize("public", [False, True])
def test_assign_and_redirect_through_the_dialog_follow_the_switch(client, login, coordinator, manager, head, omsu,
                                                                  investor, appeal, public):
    switch = {"text_public": "on"} if public else {}  # an unticked switch is not posted
    post_action(login(coordinator), appeal, "assign", executor_organisation=manager.organisation.pk,
                manager=manager.pk, head=head.pk, comment="Прошу взять в работу до пятницы", **switch)
    post_action(login(manager), appeal, "redirect", executor_organisation=omsu.pk,
                comment="Подготовить ответ по съезду с дороги", **switch)
    assert Appeal.objects.get(pk=appeal.pk).status == S.REDIRECTED
    client.force_login(investor)
    text = portal_text(client, appeal)
    assert ("Прошу взять в работу до пятницы" in text) is public
    assert ("Подготовить ответ по съезду с дороги" in text) is public
    staff = page_text(login(coordinator).get(card_url(appeal)))
    assert "Прошу взять в работу до пятницы" in staff and "Подготовить ответ по съезду с дороги" in staff
    assert ("Служебное" in staff) is not public


# --- the moderator's correction ----------------------------------------------------------------------------------
def test_the_moderator_corrects_the_text_and_the_investor_reads_the_corrected_one(client, login, coordinator,
                                                                                  investor, appeal):
    staff = login(coordinator)
    form = staff.get(action_url(appeal, "correct")).content.decode()
    assert appeal.subject in form and appeal.description in form  # prefilled with the current text
    original = appeal.description
    response = post_action(staff, appeal, "correct", subject="Съезд на промышленную улицу",
                           description="Отказ в согласовании проекта съезда с региональной дороги.",
                           comment="Убрал личные данные")
    assert "«Уточнить текст обращения»: готово." in page_text(response)
    card = page_text(staff.get(card_url(appeal)))
    assert "Текст обращения уточнён" in card and "Исходный текст инвестора." in card and original in card
    assert coordinator.full_name in card and "Убрал личные данные" in card and "Служебное" in card

    client.force_login(investor)
    portal = portal_text(client, appeal)
    assert "Отказ в согласовании проекта съезда с региональной дороги." in portal
    assert portal.count("Текст обращения уточнён") == 1  # the row's name, not its name and a text saying it again
    assert original not in portal and "Убрал личные данные" not in portal


def test_a_correction_without_a_change_is_refused_and_keeps_the_text(login, coordinator, appeal):
    response = post_action(login(coordinator), appeal, "correct", subject=appeal.subject,
                           description=appeal.description, comment="Черновик правки")
    assert "Текст не изменился." in page_text(response)
    assert "Черновик правки" in response.content.decode()
    assert not appeal.events.filter(kind=AppealEventKind.CORRECTED).exists()


# --- the responsible person and the roles after a redirect ------------------------------------------------------
def test_roles_after_a_redirect_then_the_executor_head_appoints_the_manager(
    login, assigned, manager, coordinator, head, executor, omsu, omsu_head, make_user, investor
):
    post_action(login(manager), assigned, "redirect", executor_organisation=omsu.pk, comment="Просим подготовить")
    card = page_text(login(coordinator).get(card_url(assigned)))
    for expected in ("Руководитель", head.full_name, "Координатор", coordinator.full_name,
                     "Ответственный ещё не назначен", omsu_head.full_name, omsu_head.email, str(omsu)):
        assert expected in card, expected

    outsider = make_user(Role.EXECUTOR, organisation=manager.organisation)
    client = login(omsu_head)
    form = client.get(action_url(assigned, "appoint_manager")).content.decode()
    assert f'data-organisation="{omsu.pk}"' in form  # the picker asks for the executor body's people only
    offered = " ".join(people_offered(client, organisation=omsu.pk))
    assert executor.full_name in offered and outsider.full_name not in offered
    response = post_action(client, assigned, "appoint_manager", manager=outsider.pk)
    assert "Сотрудник должен работать в организации-исполнителе." in page_text(response)
    post_action(client, assigned, "appoint_manager", manager=executor.pk, comment="Возьмите в работу")
    appeal = Appeal.objects.get(pk=assigned.pk)
    assert (appeal.head, appeal.coordinator, appeal.manager) == (head, coordinator, executor)
    card = page_text(login(coordinator).get(card_url(appeal)))
    assert "Ответственный ещё не назначен" not in card and executor.email in card


def test_two_stage_approval_shows_where_the_answer_stands(login, assigned, manager, coordinator, head, executor,
                                                          omsu, omsu_head):
    omsu.approves_own_answers = True
    omsu.save()
    appeal = act(assigned, "redirect", manager, executor_organisation=omsu, comment="Просим подготовить")
    appeal = act(act(appeal, "take_into_work", executor), "submit_for_approval", executor, answer_text="Ответ ОМСУ")
    assert "Ждёт согласования руководителя организации-исполнителя" in page_text(
        login(coordinator).get(card_url(appeal)))
    # the body's head is told where the answer goes next, not that the investor gets it now
    dialog = page_text(login(omsu_head).get(action_url(appeal, "approve")))
    assert "уйдёт на согласование руководителю агентства" in dialog and "Инвестор получит ответ" not in dialog
    post_action(login(omsu_head), appeal, "approve")
    assert "Инвестор получит ответ, подготовленный исполнителем." in page_text(login(head).get(action_url(appeal,
                                                                                                       "approve")))
    card = page_text(login(coordinator).get(card_url(appeal)))
    assert f"Согласовано исполнителем: {omsu_head.full_name}" in card
    assert Appeal.objects.get(pk=appeal.pk).status == S.APPROVAL
    post_action(login(head), appeal, "approve")
    assert Appeal.objects.get(pk=appeal.pk).status == S.ANSWERED


def test_the_organisation_admin_offers_the_switch_to_participants_only(login, superuser, omsu, company):
    client = login(superuser)
    page = client.get(reverse("admin:core_organisation_change", args=[omsu.pk]))
    assert "сначала согласует ответы сам" in page_text(page).lower() and 'name="approves_own_answers"' in (
        page.content.decode())
    page = client.get(reverse("admin:core_organisation_change", args=[company.pk]))
    assert 'name="approves_own_answers"' not in page.content.decode()


# --- meetings and the МРГ ----------------------------------------------------------------------------------------
def test_a_meeting_about_the_appeal_appears_on_the_card_with_its_ics(client, login, in_work, manager, executor,
                                                                     investor, omsu):
    staff = login(manager)
    form = staff.get(action_url(in_work, "schedule_meeting")).content.decode()
    assert investor.full_name in form and manager.full_name in form
    when = (timezone.localtime() + timedelta(days=3)).replace(hour=11, minute=0)
    response = post_action(staff, in_work, "schedule_meeting", title="ВКС с администрацией района",
                           starts_at=f"{when:%Y-%m-%dT%H:%M}", duration_minutes="45", format=MeetingFormat.VIDEO,
                           link="https://vks.example/room-7", participants=[manager.pk, investor.pk],
                           agenda="Трасса съезда")
    assert "«Назначить встречу / ВКС»: готово." in page_text(response)
    meeting = Meeting.objects.get(appeal=in_work)
    assert (timezone.localtime(meeting.starts_at).hour, meeting.duration_minutes, meeting.project) == (11, 45, None)
    card = staff.get(card_url(in_work))
    text = page_text(card)
    for expected in ("ВКС с администрацией района", f"{when:%d.%m.%Y} 11:00", "https://vks.example/room-7"):
        assert expected in text, expected
    ics_url = reverse("admin:core_meeting_download_ics", args=[meeting.pk])
    assert ics_url in card.content.decode()
    assert staff.get(ics_url).status_code == 200
    client.force_login(investor)
    assert "ВКС с администрацией района" in portal_text(client, in_work)


def test_the_vks_dialog_invites_a_body_the_appeal_was_not_passed_to(login, in_work, manager, make_user):
    """Seed: the coordinator «направил администрации Тосненского района приглашение на ВКС» before the appeal went
    to it; another investor company's people are never offered."""
    road = OrganisationFactory(kind=OrganisationKind.OIV, short_name="Дорожный комитет (тест)")
    road_executor = make_user(Role.EXECUTOR, organisation=road, email="road-vks@test.zk.example")
    stranger = make_user(Role.INVESTOR, organisation=OrganisationFactory(kind=OrganisationKind.INVESTOR),
                         email="stranger-vks@test.zk.example")
    assert in_work.executor_organisation_id != road.pk
    staff = login(manager)
    form = staff.get(action_url(in_work, "schedule_meeting")).content.decode()
    assert road_executor.full_name in form and stranger.full_name not in form

    when = (timezone.localtime() + timedelta(days=2)).replace(hour=10, minute=0)
    post_action(staff, in_work, "schedule_meeting", title="ВКС с дорожным комитетом",
                starts_at=f"{when:%Y-%m-%dT%H:%M}", duration_minutes="30", format=MeetingFormat.VIDEO,
                link="https://vks.example/road", participants=[road_executor.pk])
    meeting = Meeting.objects.get(appeal=in_work)
    assert list(meeting.participants.all()) == [road_executor] and list(meeting.organisations.all()) == [road]


def test_a_meeting_in_the_past_is_refused_and_the_typed_text_stays(login, in_work, manager):
    response = post_action(login(manager), in_work, "schedule_meeting", title="Встреча", starts_at="2020-01-01T10:00",
                           duration_minutes="60", format=MeetingFormat.IN_PERSON, agenda="Набранная повестка")
    assert "Встречу нельзя назначить на прошедшее время." in page_text(response)
    assert "Набранная повестка" in response.content.decode()
    assert not Meeting.objects.exists()


def test_the_mrg_hears_an_unresolved_appeal_and_the_card_shows_it(login, approval, head, coordinator):
    appeal = act(act(approval, "approve", head), "close", coordinator, outcome=S.NOT_RESOLVED)
    client = login(coordinator)
    today = timezone.localdate()
    response = post_action(client, appeal, "escalate", session_date=today.isoformat(), decision="",
                           follow_up_deadline=(today + timedelta(days=30)).isoformat())
    assert "Запишите решение МРГ." in page_text(response) and not AppealEscalation.objects.exists()
    post_action(client, appeal, "escalate", session_date=today.isoformat(), decision="Поручить администрации",
                follow_up_deadline=(today + timedelta(days=30)).isoformat(), text_public="on")
    card = page_text(client.get(card_url(appeal)))
    assert "Вынесено на МРГ" in card and "Поручить администрации" in card
    assert f"Срок исполнения решения: {today + timedelta(days=30):%d.%m.%Y}" in card


# --- answer rounds on the staff card --------------------------------------------------------------------------------
def test_the_card_lists_each_round_with_its_files_rating_and_rework(login, approval, manager, head, coordinator,
                                                                    investor):
    appeal = act(approval, "approve", head)
    appeal = act(appeal, "rate", investor, rating=3, comment="Не указано время")
    appeal = act(appeal, "send_back_for_rework", investor, reason="Укажите время встречи")
    appeal = act(appeal, "submit_for_approval", manager, answer_text="Встреча в 11:00", files=[pdf("Письмо.pdf")])
    card = page_text(login(coordinator).get(card_url(appeal)))
    for expected in ("Ответ 1", "Проект ответа агентства", head.full_name, "3 / 5", "Не указано время",
                     "Возвращён на доработку", "Укажите время встречи",
                     "Проект ответа на согласовании", "Встреча в 11:00", "Письмо.pdf"):
        assert expected in card, expected
    assert "Ответ 2" not in card
    act(appeal, "approve", head)
    card = page_text(login(coordinator).get(card_url(appeal)))
    assert "Ответ 2" in card and "ещё не оценён" in card and "Проект ответа на согласовании" not in card


def test_the_card_costs_the_same_queries_with_more_rounds_meetings_and_escalations(
    login, approval, manager, head, coordinator, investor
):
    appeal = act(approval, "approve", head)
    act(appeal, "schedule_meeting", manager, title="Встреча 1", starts_at=timezone.now() + timedelta(days=1),
        participants=[manager, investor])
    client = login(coordinator)

    def queries() -> int:
        client.get(card_url(appeal))  # the first opening after the new notices (the meeting's) reads them: an UPDATE
        with CaptureQueriesContext(connection) as captured:
            assert client.get(card_url(appeal)).status_code == 200
        return len(captured)

    one = queries()
    for number in (2, 3):
        appeal = act(appeal, "send_back_for_rework", investor, reason=f"Причина {number}")
        appeal = act(appeal, "submit_for_approval", manager, answer_text=f"Ответ {number}", files=[pdf()])
        appeal = act(appeal, "approve", head)
        act(appeal, "schedule_meeting", manager, title=f"Встреча {number}",
            starts_at=timezone.now() + timedelta(days=number), participants=[manager, investor, coordinator])
        act(appeal, "comment", coordinator, text=f"Служебно {number}", is_public=False)
    assert queries() == one
