"""Backups that restore (docs/operations.md): one tar archive with the database dump, the private files and a
manifest, and the restore that puts it into an empty installation and proves it against the manifest.

Archive layout: `database/postgresql.sql` (`pg_dump`, plain SQL) or `database/db.sqlite3` (SQLite's online backup
API), `files/<name>` for every file of the default storage (MEDIA_ROOT, or the bucket of STORAGE_URL), and
`manifest.json` last — it holds the row count of every model's table and the size and sha256 of every member,
computed while the member is streamed into the archive, so nothing is read twice or held in memory. On PostgreSQL
the counts come from the very snapshot `pg_dump` dumps (`pg_export_snapshot` → `--snapshot`), on SQLite from the
copy itself: the counts always describe the dump, however busy the system is.

The restore reads the archive twice: first it checks every member against the manifest (a damaged or tampered
archive changes nothing), then it restores, then it counts the restored tables and re-reads every restored file.
"""

import gzip
import hashlib
import io
import json
import os
import posixpath
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
import tomllib
import zlib
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = 1  # the archive layout's version; a restore refuses layouts it does not know
MANIFEST = "manifest.json"
DATABASE_MEMBERS = {"postgresql": "database/postgresql.sql", "sqlite": "database/db.sqlite3"}
FILES = "files/"
CHUNK = 1024 * 1024
MANIFEST_MAX_BYTES = 256 * 1024 * 1024
# `migrate` fills these itself, so an installation that has only them is still empty
FILLED_BY_MIGRATE = {"contenttypes.ContentType", "auth.Permission"}
_PG_ENV = {"HOST": "PGHOST", "PORT": "PGPORT", "USER": "PGUSER", "PASSWORD": "PGPASSWORD", "NAME": "PGDATABASE"}
_PG_OPTIONS_ENV = {"sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT", "sslcert": "PGSSLCERT",
                   "sslkey": "PGSSLKEY", "passfile": "PGPASSFILE", "service": "PGSERVICE", "options": "PGOPTIONS"}


class BackupError(Exception):
    """Why a backup or a restore cannot go on, in Russian for the operator. Nothing was changed."""


@dataclass
class RestoreResult:
    manifest: dict
    problems: list[str] = field(default_factory=list)  # mismatches with the manifest: the restore failed
    notes: list[str] = field(default_factory=list)  # what the operator should know but is not a failure


# --- backup ------------------------------------------------------------------------------------------------------


def backup_create(*, output: Path) -> tuple[Path, dict]:
    """Writes the archive to `output` (a file name ending in .tar.gz, .tgz or .tar, or an existing directory,
    where it is named zk-backup-<UTC time>.tar.gz). Returns its path and manifest. The archive appears only when
    complete (written as `<name>.partial`, then renamed) and is readable by its owner only: it holds personal
    data."""
    if connection.in_atomic_block:
        raise BackupError(_("Резервную копию нельзя снимать внутри открытой транзакции."))
    if output.is_dir():
        output = output / f"zk-backup-{timezone.now():%Y%m%d-%H%M%S}.tar.gz"
    mode = _tar_mode(output)
    if output.exists():
        raise BackupError(_("Файл %(path)s уже существует: укажите другое имя.") % {"path": output})
    local = isinstance(default_storage, FileSystemStorage)  # a bucket's files cannot hold the archive
    if local and output.resolve().is_relative_to(Path(default_storage.location).resolve()):
        raise BackupError(_("Архив нельзя класть в каталог файлов (MEDIA_ROOT): он попал бы в следующую копию."))

    partial = output.with_name(output.name + ".partial")
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # never another run's partial file
        raise BackupError(_("Файл %(path)s уже есть: в него пишет другое резервное копирование, или он остался от "
                            "прерванного — тогда удалите его.") % {"path": partial}) from None
    try:
        with os.fdopen(fd, "wb") as raw, tempfile.TemporaryDirectory(dir=output.parent, prefix=".zk-backup-") as work:
            with tarfile.open(fileobj=raw, mode=mode, format=tarfile.PAX_FORMAT) as tar:
                manifest = _write(tar, Path(work))
            raw.flush()
            os.fsync(raw.fileno())
        partial.replace(output)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return output, manifest


def _tar_mode(output: Path) -> str:
    name = output.name.lower()
    if name.endswith((".tar.gz", ".tgz")):
        return "w:gz"
    if name.endswith(".tar"):
        return "w"
    raise BackupError(_("Имя архива должно оканчиваться на .tar.gz, .tgz или .tar: %(name)s") % {"name": output.name})


def _write(tar: tarfile.TarFile, work: Path) -> dict:
    vendor = connection.vendor
    if vendor not in DATABASE_MEMBERS:
        raise BackupError(_("Резервное копирование умеет только PostgreSQL и SQLite, а база — %(vendor)s.")
                          % {"vendor": vendor})
    dump = work / "dump"
    models, migrations = (_dump_postgresql if vendor == "postgresql" else _dump_sqlite)(dump)
    with dump.open("rb") as stream:
        database = _add(tar, DATABASE_MEMBERS[vendor], stream, dump.stat().st_size)
    dump.unlink()

    files = []
    for name in _storage_names():
        try:
            stream = default_storage.open(name, "rb")
        except FileNotFoundError:
            continue  # deleted since the listing: it is not in the database snapshot either, or is lost anyway
        with stream:
            entry = _add(tar, FILES + name, stream, default_storage.size(name))
        files.append({"path": name, **entry})

    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "application": _application(),
        "database": {"vendor": vendor, "member": DATABASE_MEMBERS[vendor], **database},
        "migrations": migrations,
        "models": models,
        "files": files,
    }
    data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
    _add(tar, MANIFEST, io.BytesIO(data), len(data))
    return manifest


def _add(tar: tarfile.TarFile, name: str, stream: IO[bytes], size: int) -> dict:
    """Streams `size` bytes of `stream` into the archive, hashing them on the way."""
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = size, 0o600, int(time.time())
    reader = _Hashing(stream)
    tar.addfile(info, reader)
    return {"size": size, "sha256": reader.sha256.hexdigest()}


def _sha256(stream: IO[bytes]) -> str:
    reader = _Hashing(stream)
    while reader.read(CHUNK):
        pass
    return reader.sha256.hexdigest()


class _Hashing:
    def __init__(self, stream: IO[bytes]) -> None:
        self.stream, self.sha256 = stream, hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.sha256.update(data)
        return data


def _dump_sqlite(target: Path) -> tuple[dict, dict]:
    connection.ensure_connection()
    with closing(sqlite3.connect(target)) as copy:
        connection.connection.backup(copy)  # a consistent copy while the application keeps writing
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        cursor = copy.cursor()
        tables = {name for (name,) in cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        return _counts(cursor, tables), _migrations(cursor, tables)


def _dump_postgresql(target: Path) -> tuple[dict, dict]:
    pg_dump = _tool("pg_dump")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        tables = set(connection.introspection.table_names(cursor))
        models, migrations = _counts(cursor, tables), _migrations(cursor, tables)
        # the dump sees exactly what was counted: the transaction stays open until pg_dump has finished
        _run([pg_dump, "--format=plain", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
              f"--file={target}"])
    return models, migrations


def _counts(cursor, tables: set[str]) -> dict:
    """{"app_label.Model": {"table": …, "rows": …}} for every concrete model whose table exists."""
    counts = {}
    for model in apps.get_models(include_auto_created=True):
        table = model._meta.db_table
        if model._meta.proxy or not model._meta.managed or table not in tables:
            continue
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
        counts[model._meta.label] = {"table": table, "rows": cursor.fetchone()[0]}
    return dict(sorted(counts.items()))


def _migrations(cursor, tables: set[str]) -> dict:
    """The latest applied migration of every app."""
    if "django_migrations" not in tables:
        return {}
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
    return dict(sorted(dict(cursor.fetchall()).items()))


def _storage_names(top: str = "") -> Iterator[str]:
    try:
        directories, files = default_storage.listdir(top)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield posixpath.join(top, name) if top else name
    for name in sorted(directories):
        yield from _storage_names(posixpath.join(top, name) if top else name)


def _application() -> dict:
    version = ""
    try:
        with (Path(settings.BASE_DIR) / "pyproject.toml").open("rb") as pyproject:
            version = tomllib.load(pyproject).get("project", {}).get("version", "")
    except (OSError, tomllib.TOMLDecodeError):
        pass
    commit = ""
    if shutil.which("git"):
        done = subprocess.run(["git", "rev-parse", "HEAD"], cwd=settings.BASE_DIR, capture_output=True, text=True,
                              check=False)
        commit = done.stdout.strip() if done.returncode == 0 else ""
    return {"version": version, "commit": commit}


# --- PostgreSQL client tools ----------------------------------------------------------------------------------------


def _tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(
            _("Не найдена программа %(name)s: установите клиент PostgreSQL (пакет postgresql-client) той же "
              "версии, что и сервер, или новее.") % {"name": name})
    return path


def _pg_env() -> dict[str, str]:
    """The connection of DATABASES["default"] as libpq's environment: the password never on a command line."""
    env = dict(os.environ)
    db = connection.settings_dict
    for key, variable in _PG_ENV.items():
        if db.get(key):
            env[variable] = str(db[key])
    for key, variable in _PG_OPTIONS_ENV.items():
        if db.get("OPTIONS", {}).get(key):
            env[variable] = str(db["OPTIONS"][key])
    return env


def _run(command: list[str], stdin: IO[bytes] | None = None) -> None:
    """Runs a client tool; `stdin` is streamed into it. Its error output goes to a file, so a chatty tool
    cannot block on a full pipe while we write."""
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(command, env=_pg_env(), stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
                                   stdout=subprocess.DEVNULL, stderr=errors)
        if stdin is not None:
            try:
                shutil.copyfileobj(stdin, process.stdin, CHUNK)
            except BrokenPipeError:
                pass  # the tool stopped on an error: its message follows
            finally:
                process.stdin.close()
        code = process.wait()
        if code:
            errors.seek(0)
            message = errors.read().decode("utf-8", "replace").strip()[-4000:]
            raise BackupError(_("%(tool)s завершился с ошибкой (код %(code)s): %(message)s")
                              % {"tool": Path(command[0]).name, "code": code, "message": message})


# --- checking an archive ------------------------------------------------------------------------------------------


def backup_check(*, path: Path) -> dict:
    """Reads the whole archive and compares every member with the manifest. Returns the manifest or raises
    BackupError listing every problem."""
    seen: dict[str, dict] = {}  # member name -> its size and sha256 as found
    problems: list[str] = []
    raw_manifest = None
    with _archive(path) as members:
        for member, stream in members:
            if member.name in seen or (member.name == MANIFEST and raw_manifest is not None):
                problems.append(_("элемент %(name)s встречается в архиве дважды") % {"name": member.name})
            elif member.name == MANIFEST and stream is not None and member.size <= MANIFEST_MAX_BYTES:
                raw_manifest = stream.read()
            elif member.name.startswith(("database/", FILES)) and stream is not None:
                seen[member.name] = {"size": member.size, "sha256": _sha256(stream)}
            else:
                problems.append(_("лишний элемент в архиве: %(name)s") % {"name": member.name})
    if raw_manifest is None:
        raise BackupError(_("В архиве %(path)s нет описи (manifest.json): это не резервная копия или архив "
                            "обрезан.") % {"path": path})
    manifest = _parse_manifest(raw_manifest)
    expected = {manifest["database"]["member"]: manifest["database"]}
    expected |= {FILES + entry["path"]: entry for entry in manifest["files"]}
    for name, entry in expected.items():
        found = seen.get(name)
        if found is None:
            problems.append(_("нет в архиве: %(name)s") % {"name": name})
        elif (found["size"], found["sha256"]) != (entry["size"], entry["sha256"]):
            problems.append(_("повреждён (размер или контрольная сумма не совпадают с описью): %(name)s")
                            % {"name": name})
    problems += [_("нет в описи: %(name)s") % {"name": name} for name in seen.keys() - expected.keys()]
    if problems:
        raise BackupError(_("Архив %(path)s не прошёл проверку:\n%(problems)s")
                          % {"path": path, "problems": "\n".join(f"  – {p}" for p in problems)})
    return manifest


@contextmanager
def _archive(path: Path) -> Iterator[Iterator[tuple[tarfile.TarInfo, IO[bytes] | None]]]:
    """Every member of the archive in order, with a stream of its bytes (None for what is not a file); a damaged
    archive — wherever the damage is found, also while a member is read — is a BackupError."""
    try:
        tar = tarfile.open(path, mode="r:*")  # noqa: SIM115 (closed below, around the yield)
    except FileNotFoundError:
        raise BackupError(_("Нет файла %(path)s.") % {"path": path}) from None
    except IsADirectoryError:
        raise BackupError(_("%(path)s — каталог, а нужен файл архива.") % {"path": path}) from None
    except PermissionError:
        raise BackupError(_("Нет прав на чтение файла %(path)s.") % {"path": path}) from None
    except (tarfile.TarError, EOFError, zlib.error, OSError):
        raise BackupError(_("Файл %(path)s — не архив резервной копии (не tar и не tar.gz) или он повреждён.")
                          % {"path": path}) from None
    try:
        with tar:
            yield ((member, tar.extractfile(member) if member.isreg() else None) for member in tar)
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as error:
        raise BackupError(_("Архив %(path)s повреждён или обрезан (техническая причина: %(error)s).")
                          % {"path": path, "error": error}) from None


def _parse_manifest(data: bytes) -> dict:
    try:
        manifest = json.loads(data)
        database, files = manifest["database"], manifest["files"]
        valid = (
            manifest["format"] == FORMAT
            and DATABASE_MEMBERS.get(database["vendor"]) == database["member"]
            and all(_is_safe(entry["path"]) and isinstance(entry["size"], int) and entry["sha256"] for entry in files)
            and all(isinstance(entry["rows"], int) and entry["table"] for entry in manifest["models"].values())
            and isinstance(manifest["migrations"], dict)
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        valid = False
    if not valid:
        raise BackupError(_("Опись архива (manifest.json) повреждена или записана неизвестной версией программы."))
    return manifest


def _is_safe(name: Any) -> bool:
    """A relative path inside the storage: no absolute path, no `..`, nothing the tar could smuggle."""
    if not isinstance(name, str) or not name or "\\" in name or "\x00" in name:
        return False
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and str(path) == name


# --- restore -----------------------------------------------------------------------------------------------------


def backup_restore(*, path: Path, force: bool = False) -> RestoreResult:
    """Checks the archive, restores the database and the files into this installation and verifies them against
    the manifest. Refuses a non-empty installation unless `force` (then its database and same-named files are
    replaced)."""
    if connection.in_atomic_block:
        raise BackupError(_("Восстанавливать нельзя внутри открытой транзакции."))
    manifest = backup_check(path=path)
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(_("Архив снят с базы %(archive)s, а эта установка работает на %(here)s: восстановите "
                            "его в базу того же вида.")
                          % {"archive": _vendor(vendor), "here": _vendor(connection.vendor)})
    if not force:
        _ensure_empty()

    expected_files = {FILES + entry["path"]: entry["path"] for entry in manifest["files"]}
    with _archive(path) as members:
        for member, stream in members:
            if member.name == manifest["database"]["member"]:
                (_restore_postgresql if vendor == "postgresql" else _restore_sqlite)(stream)
            elif member.name in expected_files:
                _restore_file(expected_files[member.name], stream, member.size)
    connection.close()  # the verification reads the restored database through a fresh connection

    result = RestoreResult(manifest=manifest)
    _verify_database(manifest, result)
    _verify_files(manifest, result)
    return result


def _vendor(vendor: str) -> str:
    return {"postgresql": "PostgreSQL", "sqlite": "SQLite"}.get(vendor, vendor)


def _ensure_empty() -> None:
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        filled = [label for label, entry in _counts(cursor, tables).items()
                  if entry["rows"] and label not in FILLED_BY_MIGRATE]
    has_files = next(_storage_names(), None) is not None
    if filled or has_files:
        what = [_model_title(label) for label in filled[:5]] + (["…"] if len(filled) > 5 else [])
        what += [_("файлы в хранилище файлов")] if has_files else []
        raise BackupError(
            _("Установка не пуста (есть данные: %(what)s). Восстановление заменяет всю базу данных, поэтому "
              "восстанавливайте в пустую базу и пустой каталог файлов. Если данные действительно надо заменить "
              "содержимым архива, повторите с --force.\n"
              "The installation is not empty; restore into an empty database and media directory, or use --force.")
            % {"what": ", ".join(what)})


def _model_title(label: str) -> str:
    try:
        meta = apps.get_model(label)._meta
    except LookupError:
        return label
    return label if meta.auto_created else f"{meta.verbose_name_plural} ({label})"


def _restore_sqlite(stream: IO[bytes]) -> None:
    with tempfile.TemporaryDirectory(prefix="zk-restore-") as work:
        copy = Path(work) / "db.sqlite3"
        with copy.open("wb") as target:
            shutil.copyfileobj(stream, target, CHUNK)
        connection.ensure_connection()
        # the backup API replaces the whole database under the open connection, page by page, in one step
        with closing(sqlite3.connect(copy)) as source:
            source.backup(connection.connection)


def _restore_postgresql(stream: IO[bytes]) -> None:
    psql = _tool("psql")
    with transaction.atomic(), connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        if tables:  # a --force restore over an installation: its tables go first (the dump creates them anew)
            cursor.execute("DROP TABLE IF EXISTS {} CASCADE".format(", ".join(map(connection.ops.quote_name, tables))))
    connection.close()
    _run([psql, "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", "--single-transaction",
          f"--dbname={connection.settings_dict['NAME']}", "--file=-"], stdin=stream)


def _restore_file(name: str, stream: IO[bytes], size: int) -> None:
    if default_storage.exists(name):
        default_storage.delete(name)  # only with --force: an empty installation has no files
    upload = File(stream, name=posixpath.basename(name))
    upload.size = size
    saved = default_storage.save(name, upload)
    if saved != name:
        raise BackupError(_("Хранилище сохранило файл %(name)s под другим именем (%(saved)s).")
                          % {"name": name, "saved": saved})


def _verify_database(manifest: dict, result: RestoreResult) -> None:
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        found = _counts(cursor, tables)
        migrations = _migrations(cursor, tables)
        rows_by_table = {entry["table"]: entry["rows"] for entry in found.values()}
        for label, entry in manifest["models"].items():
            if entry["table"] not in tables:
                result.problems.append(_("нет таблицы %(table)s (%(model)s)")
                                       % {"table": entry["table"], "model": _model_title(label)})
                continue
            rows = rows_by_table.get(entry["table"])
            if rows is None:  # a model this version of the code no longer has
                cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(entry['table'])}")
                rows = cursor.fetchone()[0]
            if rows != entry["rows"]:
                result.problems.append(_("%(model)s: строк %(rows)s, а в описи %(expected)s")
                                       % {"model": _model_title(label), "rows": rows, "expected": entry["rows"]})
    if migrations != manifest["migrations"]:
        result.problems.append(_("применённые миграции восстановленной базы не совпадают с описью"))
    missing = [label for label in found if label not in manifest["models"]]
    if missing:
        result.notes.append(_("в этой версии программы есть таблицы, которых нет в архиве: %(labels)s")
                            % {"labels": ", ".join(missing)})
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        result.notes.append(_("архив снят более старой версией программы: выполните manage.py migrate"))
    unknown = set(executor.loader.applied_migrations) - set(executor.loader.graph.nodes)
    if unknown:
        result.notes.append(_("в базе есть миграции, которых не знает эта версия программы (%(n)s): архив снят "
                              "более новой версией — установите её") % {"n": len(unknown)})


def _verify_files(manifest: dict, result: RestoreResult) -> None:
    listed = set()
    for entry in manifest["files"]:
        listed.add(entry["path"])
        try:
            with default_storage.open(entry["path"], "rb") as stream:
                sha256 = _sha256(stream)
        except FileNotFoundError:
            result.problems.append(_("файл не восстановлен: %(name)s") % {"name": entry["path"]})
            continue
        if sha256 != entry["sha256"]:
            result.problems.append(_("файл отличается от описи: %(name)s") % {"name": entry["path"]})
    extra = sum(1 for name in _storage_names() if name not in listed)
    if extra:
        result.notes.append(_("в каталоге файлов есть файлы, которых нет в архиве: %(n)s") % {"n": extra})
