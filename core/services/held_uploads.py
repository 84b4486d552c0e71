"""Files chosen in a form that comes back with an error are kept («held»), so the person need not choose them again.

A browser never fills a file field of a page it is shown, so a form returned with an error (a field left empty, a
door's refusal, a concurrent change) used to drop every file chosen in it. Now each such file that passes the checks
of core.services.attachments is stored privately as a `HeldUpload` for the person who chose it, and the form shows it
with a ticked box carrying only the row's random token (core.forms.MultipleFileField). When the form is sent again,
the ticked tokens of that same person come back as `HeldFile`s, checked and stored like fresh uploads; the held copy
is removed once the transaction that stored the file commits (`upload_store`). What is never sent is removed by the
daily «Уборка» after UPLOAD_HOLD_HOURS.

Held files count against no quota of the appeal or the day (nothing is attached yet), but one person holds at most
UPLOAD_DAILY_QUOTA_MB at a time: beyond it a file is not held and the form says to choose it again.
"""

import logging
import uuid
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Sum
from django.utils import timezone

from core.models import HeldUpload
from core.services.attachments import MB, upload_check

logger = logging.getLogger(__name__)


class HeldFile(File):
    """A held upload read back for a form. It answers as an upload does — name, size, read and seek — so the checks
    and `upload_store` take it as one; the stored file is opened only when read."""

    def __init__(self, held: HeldUpload):
        self.held = held
        self._file = None
        super().__init__(None, name=held.original_name)
        self.size = held.size

    @property
    def file(self):
        if self._file is None and getattr(self, "held", None) is not None:
            self._file = self.held.file.storage.open(self.held.file.name, "rb")
        return self._file

    @file.setter
    def file(self, value) -> None:
        self._file = value

    @property
    def token(self) -> str:
        return str(self.held.token)

    def close(self) -> None:
        """Closed after each use (the checks, storing); the next read opens it again."""
        if self._file is not None:
            self._file.close()
            self._file = None

    def __del__(self) -> None:
        self.close()

    def __bool__(self) -> bool:
        return True


class HeldList(list):
    """The files of a form field as its page shows them: held files (and fresh uploads not held), and the names of
    files that could not be held (`not_held`), which the person must choose again."""

    not_held: tuple[str, ...] = ()


def _cutoff():
    return timezone.now() - timedelta(hours=settings.UPLOAD_HOLD_HOURS)


def uploads_hold(*, user, uploads: Iterable) -> HeldList:
    """Hold each fresh upload that passes the file checks; files held already stay as they are. A file that fails
    them is dropped (the form's error names it); one beyond the person's cap or that the storage refused is listed
    in `not_held`."""
    result, not_held = HeldList(), []
    used = HeldUpload.objects.filter(user=user, created_at__gte=_cutoff()).aggregate(total=Sum("size"))["total"] or 0
    cap = settings.UPLOAD_DAILY_QUOTA_MB * MB
    for upload in uploads:
        if isinstance(upload, HeldFile):
            result.append(upload)
            continue
        if not isinstance(upload, UploadedFile):
            continue
        try:
            upload_check(upload)
        except ValidationError:
            continue
        if used + upload.size > cap:
            not_held.append(upload.name)
            continue
        row = HeldUpload(user=user, original_name=(upload.name or "")[:255], size=upload.size)
        try:
            upload.seek(0)
            row.file.save(upload.name, upload, save=False)
            row.save()
        except OSError:
            logger.exception("held_uploads: could not keep %s", upload.name)
            if row.file.name:
                row.file.delete(save=False)
            not_held.append(upload.name)
            continue
        used += upload.size
        result.append(HeldFile(row))
    result.not_held = tuple(not_held)
    return result


def held_files(*, user, tokens: Iterable[str]) -> tuple[list[HeldFile], int]:
    """The held files behind these tokens that `user` chose and that are still kept, in the tokens' order; and how
    many tokens found nothing (expired, sent already, someone else's or not a token at all)."""
    wanted = []
    for token in tokens:
        try:
            value = uuid.UUID(str(token))
        except ValueError:
            value = None
        if value not in wanted:
            wanted.append(value)
    known = [value for value in wanted if value is not None]
    rows = {row.token: row for row in HeldUpload.objects.filter(user=user, token__in=known, created_at__gte=_cutoff())}
    found = [HeldFile(rows[value]) for value in known if value in rows]
    return found, len(wanted) - len(found)


def held_discard(held: HeldUpload) -> None:
    """Remove a held file and its row (its copy was stored where it belongs)."""
    if held.file:
        held.file.delete(save=False)
    HeldUpload.objects.filter(pk=held.pk).delete()


def held_uploads_prune() -> int:
    """Held files never sent, file and row, after UPLOAD_HOLD_HOURS (the daily «Уборка»)."""
    removed = 0
    for held in HeldUpload.objects.filter(created_at__lt=_cutoff()).iterator():
        held_discard(held)
        removed += 1
    return removed
