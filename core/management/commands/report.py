"""`manage.py report <slug> --from --to --output PATH`: a report as a file, for cron (docs/reports.md)."""

import errno
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from core.management.russian import RussianErrors
from core.models import User
from core.reports.registry import ReportParams, report_build, reports
from core.reports.render import CONTENT_TYPES, filename, render
from core.selectors.reports import report_default_user, reports_available_to


class Command(RussianErrors, BaseCommand):
    help = "Строит отчёт и сохраняет его в файл (xlsx, ods или docx); печатает путь к файлу."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="отчёт: " + ", ".join(reports()))
        parser.add_argument("--from", dest="date_from", metavar="ГГГГ-ММ-ДД",
                            help="начало периода (по умолчанию 1 января текущего года)")
        parser.add_argument("--to", dest="date_to", metavar="ГГГГ-ММ-ДД", help="конец периода (по умолчанию сегодня)")
        parser.add_argument("--format", dest="fmt", choices=sorted(CONTENT_TYPES),
                            help="формат файла (по умолчанию — по расширению --output, иначе xlsx)")
        parser.add_argument("--output", required=True, metavar="PATH",
                            help="файл или существующий каталог (тогда имя файла — как у скачивания в кабинете)")
        parser.add_argument("--as", dest="email", metavar="EMAIL",
                            help="чьими глазами строить отчёт (по умолчанию первый действующий директор)")

    def handle(self, *args, slug: str, date_from, date_to, fmt, output: str, email, **options) -> None:
        specs = reports()
        if slug not in specs:
            raise CommandError(_("Нет отчёта «%(slug)s». Есть: %(slugs)s.") % {"slug": slug, "slugs": ", ".join(specs)})
        today = timezone.localdate()
        path = Path(output)
        suffix = path.suffix.lstrip(".").lower()
        fmt = fmt or (suffix if suffix in CONTENT_TYPES else "xlsx")
        start = _parse(date_from, "--from") if date_from else today.replace(month=1, day=1)
        end = _parse(date_to, "--to") if date_to else today
        if start > end:
            raise CommandError(_("Начало периода (--from %(start)s) позже его конца (--to %(end)s).")
                               % {"start": start.isoformat(), "end": end.isoformat()})
        dated = "date_from" in specs[slug].filters  # the other reports have no period
        params = ReportParams(date_from=start, date_to=end, today=today) if dated else ReportParams(today=today)

        table = report_build(slug, user=_reader(email), params=params)
        if path.is_dir():
            path = path / filename(table, fmt, today)
        try:
            with path.open("wb") as out:
                render(table, fmt, out)
        except OSError as error:
            reason = _os_reason(error)
            raise CommandError(_("Не удалось записать файл %(path)s: %(reason)s") % {"path": path, "reason": reason}
                               ) from error
        self.stdout.write(str(path))


def _parse(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            _("%(option)s: «%(text)s» — не дата; нужен формат ГГГГ-ММ-ДД, например 2025-03-13.")
            % {"option": option, "text": text}
        ) from None


def _os_reason(error: OSError) -> str:
    reasons = {
        errno.ENOENT: _("нет такого каталога"),
        errno.EACCES: _("нет прав на запись"),
        errno.EPERM: _("нет прав на запись"),
        errno.EROFS: _("файловая система только для чтения"),
        errno.ENOSPC: _("нет места на диске"),
        errno.EISDIR: _("это каталог"),
        errno.ENOTDIR: _("часть пути — не каталог"),
    }
    return str(reasons.get(error.errno, error.strerror or error))


def _reader(email: str | None) -> User:
    if email is None:
        user = report_default_user()
        if user is None:
            raise CommandError(_("Нет ни действующего директора, ни суперпользователя: укажите --as EMAIL."))
        return user
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    if user is None:
        raise CommandError(_("Нет действующего пользователя с адресом %(email)s.") % {"email": email})
    if not reports_available_to(user):
        raise CommandError(_("Пользователю %(email)s отчёты недоступны.") % {"email": email})
    return user
