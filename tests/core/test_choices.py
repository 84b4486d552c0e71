"""Choices drawn as badges carry their colour beside their label (NetBox's `(value, label, colour)`), one per value,
and only colours both faces can draw."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from unfold import __file__ as unfold_init

from core.choices import (
    BADGE_COLOURS,
    AppealChannel,
    AppealStatus,
    ColouredChoices,
    MeasureStatus,
    MeetingStatus,
    OrganisationKind,
    ProjectStage,
    RequestStatus,
    RoadmapStatus,
    TaskStatus,
)
from core.models.notifications import OutboxStatus

# every choice the cabinet or the portal shows as a coloured badge
BADGED = (AppealStatus, AppealChannel, ProjectStage, TaskStatus, MeetingStatus, RoadmapStatus, MeasureStatus,
          RequestStatus, OrganisationKind, OutboxStatus)


def coloured_choices() -> list[type[ColouredChoices]]:
    found, todo = [], list(ColouredChoices.__subclasses__())
    while todo:
        choice = todo.pop()
        found.append(choice)
        todo.extend(choice.__subclasses__())
    return found


def test_every_badged_choice_carries_its_colours():
    assert set(BADGED) <= set(coloured_choices())


@pytest.mark.parametrize("choice", coloured_choices(), ids=lambda choice: choice.__name__)
def test_every_value_has_a_colour_both_faces_draw(choice):
    colours = choice.colours()

    assert set(colours) == set(choice.values)
    assert {choice.colour(value) for value in choice.values} <= set(BADGE_COLOURS)
    assert set(colours.values()) <= set(BADGE_COLOURS)


def test_the_portal_css_has_a_badge_for_every_colour():
    css = (Path(settings.BASE_DIR) / "static" / "portal" / "portal.css").read_text()

    assert {colour for colour in BADGE_COLOURS if not re.search(rf"\.badge-{colour}\s*\{{", css)} == set()


def test_unfold_labels_draw_every_colour_but_its_grey_default():
    label = (Path(unfold_init).parent / "templates" / "unfold" / "helpers" / "label.html").read_text()

    assert {colour for colour in BADGE_COLOURS if f"type == '{colour}'" not in label} == {"default"}


def test_a_choice_without_a_colour_does_not_load():
    with pytest.raises(TypeError, match="badge colour"):
        class Forgotten(ColouredChoices):
            DONE = "done", _("Готово")

    with pytest.raises(TypeError, match="badge colour"):
        class Misspelt(ColouredChoices):
            DONE = "done", _("Готово"), "green"


def test_a_value_outside_the_choices_is_grey_and_labels_stay_as_django_reads_them():
    assert AppealStatus.colour("") == "default"
    assert AppealStatus.colour(AppealStatus.REJECTED) == "danger"
    assert AppealStatus.choices[0] == ("moderation", "Обращение поступило на модерацию")
    assert TaskStatus("in_work").label == "В работе"


def test_every_appeal_status_says_what_it_means_to_the_investor():
    from core.choices import APPEAL_STATUS_MEANINGS, AppealStatus

    assert set(APPEAL_STATUS_MEANINGS) == set(AppealStatus.values)
    assert all(str(meaning).endswith(".") and len(str(meaning)) > 10 for meaning in APPEAL_STATUS_MEANINGS.values())
