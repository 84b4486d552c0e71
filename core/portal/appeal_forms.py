"""Forms of the investor's appeals: they parse input; the rules live in core.workflows.appeals."""

from dataclasses import dataclass, field

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.forms import LimitedTextField, MultipleFileField
from core.models import Fact, Project
from core.selectors.classifier import facts_active
from core.services.content_limits import DESCRIPTION_MAX
from core.validators import validate_inn


# --- the classifier the investor picks from ------------------------------------------------------------------
@dataclass
class Classifier:
    """Active categories → subcategories → facts as plain data: the selects' choices and the script's JSON."""

    tree: list[dict] = field(default_factory=list)
    facts: dict[int, Fact] = field(default_factory=dict)


def _hint(fact: Fact) -> str:
    kind = fact.appeal_type
    return ngettext("Тип обращения: %(type)s. Срок ответа — %(days)s день (%(kind)s).",
                    "Тип обращения: %(type)s. Срок ответа — %(days)s дней (%(kind)s).", kind.period_days) % {
        "type": kind.name,
        "days": kind.period_days,
        "kind": kind.get_day_kind_display().lower(),
    }


def classifier_active() -> Classifier:
    """One query: the facts an investor may choose now, with their parents active too."""
    facts = facts_active()
    result = Classifier()
    for fact in facts:
        subcategory, category = fact.subcategory, fact.subcategory.category
        if not result.tree or result.tree[-1]["id"] != category.pk:
            # the short name when the category has one: the seven federal names all begin «Вопросы бизнеса,
            # связанные с…», and a phone's select cut them to the same words
            result.tree.append({"id": category.pk, "name": category.short_name or category.name, "subcategories": []})
        branch = result.tree[-1]["subcategories"]
        if not branch or branch[-1]["id"] != subcategory.pk:
            branch.append({"id": subcategory.pk, "name": subcategory.name, "facts": []})
        branch[-1]["facts"].append({"id": fact.pk, "name": fact.name, "hint": str(_hint(fact))})
        result.facts[fact.pk] = fact
    return result


def _pick(items: list[dict], raw) -> dict | None:
    return next((item for item in items if str(item["id"]) == str(raw or "")), None)


FACT_HELP = _("От типа обращения зависит срок ответа.")


class ProjectChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Project) -> str:
        return f"{obj.registry_number} {obj.name}"


class AppealForm(forms.Form):
    """«Создать обращение»: the selects narrow by the choice above them (on reload, or in place with the script)."""

    required_css_class = "required"

    category = forms.TypedChoiceField(label=_("Выберите категорию"), coerce=int)
    subcategory = forms.TypedChoiceField(label=_("Выберите подкатегорию"), coerce=int)
    fact = forms.TypedChoiceField(label=_("Выберите факт обращения"), coerce=int, help_text=FACT_HELP)
    subject = forms.CharField(
        label=_("Тема обращения"),
        max_length=300,
        widget=forms.TextInput(attrs={"placeholder": _("Напишите тему обращения")}),
    )
    description = LimitedTextField(
        label=_("Описание"), max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 8, "placeholder": _("Подробно опишите суть обращения")}),
    )
    # The company an appeal is filed for is the investor's own (the door takes its name from the company's card):
    # shown, not typed — an edited name was silently ignored.
    organisation_name = forms.CharField(
        label=_("Название организации"), max_length=500, required=False, disabled=True,
        help_text=_("Из карточки вашей компании. Если название изменилось, сообщите персональному менеджеру."),
    )
    organisation_inn = forms.CharField(
        label=_("ИНН"), max_length=12, validators=[validate_inn], widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    project = ProjectChoiceField(
        label=_("Проект"), queryset=Project.objects.none(), required=False, empty_label=_("— без проекта —"),
        help_text=_("Если обращение касается проекта вашей компании, выберите его: обращение появится в истории "
                    "проекта."),
    )
    files = MultipleFileField()

    def __init__(self, *args, classifier: Classifier, projects: QuerySet[Project] | None = None,
                 company_name: str = "", **kwargs):
        """`projects`: the company's projects the investor may pick (project_list_for_user); none — no select.
        `company_name`: the investor's company, shown in the form."""
        super().__init__(*args, **kwargs)
        self.fields["organisation_name"].initial = company_name
        if projects is not None and projects.exists():
            self.fields["project"].queryset = projects.order_by("registry_number")
        else:
            del self.fields["project"]
        source = self.data if self.is_bound else self.initial
        category = _pick(classifier.tree, source.get("category"))
        subcategory = _pick(category["subcategories"], source.get("subcategory")) if category else None
        fact = _pick(subcategory["facts"], source.get("fact")) if subcategory else None
        if not self.is_bound:  # a choice that no longer fits the one above it is dropped
            self.initial.update(
                category=category and category["id"], subcategory=subcategory and subcategory["id"],
                fact=fact and fact["id"],
            )
        self.classifier = classifier
        self._choices("category", classifier.tree, True, _("— выберите категорию —"), "")
        self._choices(
            "subcategory", category["subcategories"] if category else [], bool(category),
            _("— выберите подкатегорию —"), _("— сначала выберите категорию —"),
        )
        self._choices(
            "fact", subcategory["facts"] if subcategory else [], bool(subcategory),
            _("— выберите факт обращения —"), _("— сначала выберите подкатегорию —"),
        )
        self.fields["fact"].widget.attrs["data-hint"] = FACT_HELP
        if fact:
            self.fields["fact"].help_text = fact["hint"]

    def _choices(self, name: str, items: list[dict], parent_chosen: bool, choose, first) -> None:
        field = self.fields[name]
        field.choices = [("", choose if parent_chosen else first), *((item["id"], item["name"]) for item in items)]
        field.widget.attrs.update({"data-choose": choose, "data-first": first})

    def submit_data(self) -> dict:
        """The keyword arguments of appeal_submit that come from the form."""
        data = {key: value for key, value in self.cleaned_data.items() if key not in {"category", "subcategory"}}
        data["fact"] = self.classifier.facts[data["fact"]]
        return data


# --- the investor's actions on an appeal ---------------------------------------------------------------------
class ActionForm(forms.Form):
    """Every action carries the version of the appeal the investor saw, so a stale page is refused."""

    required_css_class = "required"

    version = forms.CharField(widget=forms.HiddenInput)

    def action_data(self) -> dict:
        """The keyword arguments of appeal_transition that come from the form."""
        return {key: value for key, value in self.cleaned_data.items() if key != "version"}


class ClarificationForm(ActionForm):
    comment = LimitedTextField(label=_("Ваш ответ"), widget=forms.Textarea(attrs={"rows": 5}))
    files = MultipleFileField()


class CommentForm(ActionForm):
    text = LimitedTextField(label=_("Комментарий"))
    files = MultipleFileField()


class RateForm(ActionForm):
    rating = forms.TypedChoiceField(
        label=_("Оценка ответа"),
        coerce=int,
        choices=[
            (1, _("1 — очень плохо")),
            (2, _("2 — плохо")),
            (3, _("3 — удовлетворительно")),
            (4, _("4 — хорошо")),
            (5, _("5 — отлично")),
        ],
        widget=forms.RadioSelect,
    )
    comment = LimitedTextField(label=_("Комментарий к оценке"), required=False,
                               widget=forms.Textarea(attrs={"rows": 3}))
    # which answer round is rated (the page has a form per unrated round); empty — the newest unrated one
    round_number = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)


class ReworkForm(ActionForm):
    reason = LimitedTextField(
        label=_("Что нужно доработать"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Обращение вернётся исполнителю: напишите, чего не хватает в ответе."),
    )


ACTION_FORMS: dict[str, type[ActionForm]] = {  # in the order the page shows them
    "provide_clarification": ClarificationForm,
    "rate": RateForm,
    "send_back_for_rework": ReworkForm,
    "comment": CommentForm,
}
ROUND_ACTIONS = {"rate", "send_back_for_rework"}  # shown under the answer round they act on
