"""«Ответы для ПОС»: the period whose answers go into the file."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from admin_site.forms.reports import _date

PERIOD_DAYS_MAX = 366


class PosAnswersForm(forms.Form):
    date_from = _date(_("Ответы с"))
    date_to = _date(_("по"))

    def __init__(self, query, *, today: date):
        defaults = {"date_from": today.replace(day=1).isoformat(), "date_to": today.isoformat()}
        super().__init__({name: query.get(name, default) for name, default in defaults.items()})
        for field in self.fields.values():
            field.required = True
            field.error_messages["required"] = _("Укажите дату.")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("Дата окончания периода раньше даты начала."))
        elif start and end and (end - start).days >= PERIOD_DAYS_MAX:
            self.add_error("date_to", _("Период не длиннее года: выгрузите ответы по частям."))
        return cleaned
