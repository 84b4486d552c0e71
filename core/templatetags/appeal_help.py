"""The portal's «Что означают статусы»: each appeal status with what it means for the investor, and «МРГ»."""

from django import template

from core.choices import APPEAL_STATUS_MEANINGS, MRG_MEANING, AppealStatus

register = template.Library()


@register.inclusion_tag("portal/appeals/status_help.html")
def appeal_status_help():
    return {
        "statuses": [(AppealStatus(value).label, AppealStatus.colour(value), APPEAL_STATUS_MEANINGS[value])
                     for value in AppealStatus.values],
        "mrg": MRG_MEANING,
    }
