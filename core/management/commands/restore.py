"""`manage.py restore PATH [--force] [--check]`: a `manage.py backup` archive into an empty installation, verified
against its manifest (docs/operations.md, «Restore drill»)."""

from datetime import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from core.management.russian import RussianErrors
from core.services.backup import BackupError, backup_check, backup_restore


class Command(RussianErrors, BaseCommand):
    help = ("Восстанавливает резервную копию manage.py backup в пустую установку (база данных и MEDIA_ROOT или "
            "хранилище STORAGE_URL) и сверяет результат с описью архива: число строк каждой таблицы и контрольную "
            "сумму каждого файла.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="архив, созданный manage.py backup")
        parser.add_argument("--force", action="store_true",
                            help="восстановить и в непустую установку: её база данных будет заменена целиком")
        parser.add_argument("--check", action="store_true",
                            help="только проверить архив по описи, ничего не восстанавливая")

    def handle(self, *args, path: str, force: bool, check: bool, **options) -> None:
        try:
            if check:
                manifest = backup_check(path=Path(path))
            else:
                result = backup_restore(path=Path(path), force=force)
                manifest = result.manifest
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(_describe(manifest))
        if check:
            self.stdout.write(self.style.SUCCESS(_("Архив цел: все элементы совпадают с описью.")))
            return
        for note in result.notes:
            self.stdout.write(self.style.WARNING(_("Обратите внимание: %(note)s.") % {"note": note}))
        if result.problems:
            for problem in result.problems:
                self.stderr.write(f"  – {problem}")
            raise CommandError(_("Восстановление не прошло проверку: расхождений с описью — %(n)s (перечислены "
                                 "выше). Не запускайте систему на этой базе.") % {"n": len(result.problems)})
        rows = sum(entry["rows"] for entry in manifest["models"].values())
        self.stdout.write(self.style.SUCCESS(
            _("Восстановлено и проверено: таблиц %(tables)s, строк %(rows)s, файлов %(files)s — всё совпадает "
              "с описью.") % {"rows": rows, "tables": len(manifest["models"]), "files": len(manifest["files"])}))


def _moment(text: str) -> str:
    try:
        return f"{timezone.localtime(datetime.fromisoformat(text)):%d.%m.%Y %H:%M %Z}"
    except (TypeError, ValueError):
        return str(text)


def _describe(manifest: dict) -> str:
    application = manifest["application"]
    version = application.get("version") or "?"
    if application.get("commit"):
        version += f" ({application['commit'][:12]})"
    return _("Архив от %(created)s, версия программы %(version)s, база %(vendor)s, строк %(rows)s, файлов %(files)s "
             "(%(size)s).") % {
        "created": _moment(manifest["created_at"]), "version": version, "vendor": manifest["database"]["vendor"],
        "rows": sum(entry["rows"] for entry in manifest["models"].values()), "files": len(manifest["files"]),
        "size": filesizeformat(sum(entry["size"] for entry in manifest["files"])),
    }
