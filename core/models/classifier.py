"""The МОС classifier: appeal types with response periods; category → subcategory → fact."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.choices import DayKind


class AppealType(models.Model):
    """Консультация, помощь, проблема: each with its response period (seed: 5, 10, 20 days)."""

    code = models.SlugField(_("код"), max_length=32, unique=True)
    name = models.CharField(_("название"), max_length=100)
    period_days = models.PositiveSmallIntegerField(_("срок ответа, дней"))
    day_kind = models.CharField(_("дни"), max_length=16, choices=DayKind.choices, default=DayKind.CALENDAR)
    move_to_working_day = models.BooleanField(
        _("переносить срок с выходного на рабочий день"),
        default=False,
        help_text=_("Если срок в календарных днях выпадает на выходной, он переносится на следующий рабочий день."),
    )
    order = models.PositiveSmallIntegerField(_("порядок"), default=0)
    is_active = models.BooleanField(_("действует"), default=True)

    class Meta:
        verbose_name = _("тип обращения")
        verbose_name_plural = _("типы обращений")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.code,)


class ClassifierNode(models.Model):
    code = models.CharField(_("код"), max_length=32, unique=True)
    name = models.CharField(_("название"), max_length=500)
    order = models.PositiveIntegerField(_("порядок"), default=0)
    is_active = models.BooleanField(_("действует"), default=True)
    is_demo = models.BooleanField(
        _("демонстрационный"), default=False, help_text=_("Придуман для демонстрации, а не взят из классификатора.")
    )

    class Meta:
        abstract = True
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.code,)


class Category(ClassifierNode):
    # The federal category names all start «Вопросы бизнеса, связанные с…»: charts and narrow places need a
    # distinct short form (the full name stays in tooltips and tables).
    short_name = models.CharField(
        _("краткое название"), max_length=40, blank=True,
        help_text=_("Для графиков на главной странице, например «Строительство». Пусто — полное название."),
    )

    class Meta(ClassifierNode.Meta):
        verbose_name = _("категория обращений")
        verbose_name_plural = _("категории обращений")


class Subcategory(ClassifierNode):
    category = models.ForeignKey(
        Category, verbose_name=_("категория"), on_delete=models.PROTECT, related_name="subcategories"
    )

    class Meta(ClassifierNode.Meta):
        verbose_name = _("подкатегория обращений")
        verbose_name_plural = _("подкатегории обращений")


class Fact(ClassifierNode):
    """Факт обращения: the leaf the investor picks; it fixes the appeal type and so the deadline."""

    subcategory = models.ForeignKey(
        Subcategory, verbose_name=_("подкатегория"), on_delete=models.PROTECT, related_name="facts"
    )
    appeal_type = models.ForeignKey(
        AppealType, verbose_name=_("тип обращения"), on_delete=models.PROTECT, related_name="facts"
    )
    default_executor = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("исполнитель по умолчанию"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="default_facts",
    )

    class Meta(ClassifierNode.Meta):
        verbose_name = _("факт обращения")
        verbose_name_plural = _("факты обращений")


class CalendarOverride(models.Model):
    """A day the production calendar must treat differently from the `holidays` package (a new decree)."""

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Дополнительный выходной")
        WORKING_DAY = "working_day", _("Дополнительный рабочий день")

    date = models.DateField(_("дата"), unique=True)
    kind = models.CharField(_("вид"), max_length=16, choices=Kind.choices)
    comment = models.CharField(
        _("основание"), max_length=300, blank=True, help_text=_("Например, номер постановления.")
    )

    class Meta:
        verbose_name = _("исключение производственного календаря")
        verbose_name_plural = _("исключения производственного календаря")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} — {self.get_kind_display()}"
