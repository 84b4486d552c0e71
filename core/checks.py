"""`manage.py check --deploy`: what a production install must set beyond Django's own list. Each is a warning with
its Russian explanation, so the install step that runs the check («Install (production)», docs/operations.md) shows
it; none stops the application."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register
from django.utils.translation import gettext as _

from core.region import SETTINGS_FILE, current_region

LOOPBACK = {"127.0.0.1", "localhost", "::1", "0.0.0.0"}
EXAMPLE_SENDER = "«Зелёный коридор» <noreply@zk.example>"  # core/settings.py's default


@register(Tags.security, deploy=True)
def production_settings(app_configs=None, **kwargs) -> list[Warning]:
    found = []
    backend = settings.EMAIL_BACKEND
    if backend.endswith(("console.EmailBackend", "locmem.EmailBackend", "dummy.EmailBackend")):
        found.append(Warning(
            _("EMAIL_URL не задан: письма не уходят, а пишутся в журнал (со ссылками подтверждения и сброса пароля)."),
            hint=_("Задайте EMAIL_URL, например smtp+tls://user:password@mail.example.ru:587."), id="zk.W001"))
    if (urlsplit(settings.SITE_URL).hostname or "") in LOOPBACK:
        found.append(Warning(
            _("SITE_URL указывает на %(url)s: ссылки в письмах будут вести на этот компьютер.")
            % {"url": settings.SITE_URL},
            hint=_("Задайте SITE_URL — адрес, по которому сайт открывают люди, например https://crm.example.ru."),
            id="zk.W002"))
    if settings.DEFAULT_FROM_EMAIL == EXAMPLE_SENDER:
        found.append(Warning(
            _("DEFAULT_FROM_EMAIL — пример из документации: письма придут от несуществующего адреса."),
            hint=_("Задайте DEFAULT_FROM_EMAIL, например «Зелёный коридор» <noreply@agency.ru>."), id="zk.W003"))
    region = current_region()
    if not region.address:
        found.append(Warning(
            _("В пакете региона «%(pack)s» не указан адрес агентства: согласие на обработку персональных данных, "
              "которое принимают инвесторы, должно называть адрес оператора (152-ФЗ, статья 9, часть 4).")
            % {"pack": region.code},
            hint=_("Впишите почтовый адрес агентства в поле address раздела [agency] файла %(file)s. Инвесторы, "
                   "принявшие согласие без адреса, увидят новый текст и примут его снова.")
            % {"file": region.path / SETTINGS_FILE}, id="zk.W004"))
    return found
