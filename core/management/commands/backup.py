"""`manage.py backup [--output PATH]`: one archive with the database, the private files and a manifest
(docs/operations.md, «Backups»)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from core.management.commands.report import _os_reason
from core.management.russian import RussianErrors
from core.services.backup import BackupError, backup_create


class Command(RussianErrors, BaseCommand):
    help = ("Создаёт резервную копию: один архив (.tar.gz) с дампом базы данных, файлами (из MEDIA_ROOT или "
            "хранилища STORAGE_URL) и описью (число строк каждой таблицы, контрольные суммы файлов). Последняя строка "
            "вывода — путь к архиву.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", default=None, metavar="PATH",
                            help="файл .tar.gz, .tgz или .tar или существующий каталог (тогда имя — "
                                 "zk-backup-<время UTC>.tar.gz); по умолчанию каталог BACKUP_DIR (var/backups)")

    def handle(self, *args, output: str | None, **options) -> None:
        if output is None:
            output = str(settings.BACKUP_DIR)
            try:
                Path(output).mkdir(mode=0o700, parents=True, exist_ok=True)
            except OSError as error:
                raise CommandError(_("Не удалось создать каталог %(path)s: %(reason)s")
                                   % {"path": output, "reason": _os_reason(error)}) from error
        try:
            path, manifest = backup_create(output=Path(output))
        except BackupError as error:
            raise CommandError(str(error)) from None
        except OSError as error:
            raise CommandError(_("Не удалось записать архив %(path)s: %(reason)s")
                               % {"path": output, "reason": _os_reason(error)}) from error
        rows = sum(entry["rows"] for entry in manifest["models"].values())
        size = sum(entry["size"] for entry in manifest["files"])
        self.stdout.write(
            _("Резервная копия готова: таблиц %(tables)s, строк %(rows)s, файлов %(files)s (%(size)s), "
              "архив %(archive)s.")
            % {"rows": rows, "tables": len(manifest["models"]), "files": len(manifest["files"]),
               "size": filesizeformat(size), "archive": filesizeformat(path.stat().st_size)})
        self.stdout.write(str(path))
