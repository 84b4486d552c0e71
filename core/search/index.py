"""Writing the search index: what text of each object is searched, by whom, and keeping it current.

Every object has two texts: the public one (what an investor who may open it reads: public history lines, approved
answers, public files, non-internal documents) and the whole one (what staff read). core.selectors.appeals and
core.selectors.projects decide that split the same way (is_public / is_internal; staff read everything of what they
may open), so a search never shows a word its reader could not read on the object's page.

Rows change after commit: `index_later` collects (kind, id) pairs per transaction and writes them once when it commits
(core.search.signals calls it on every save and delete of an indexed model); `search_index_rebuild` writes all rows
again in batches (`manage.py rebuild_search_index`, the data set generator, the demo).
"""

from __future__ import annotations

import re
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection, transaction

from core.choices import AppealStatus
from core.models import (
    Appeal,
    AppealAnswer,
    AppealEvent,
    AppealFile,
    FaqEntry,
    Organisation,
    Project,
    ProjectDocument,
    ProjectEvent,
    SearchEntry,
)
from core.search.text import stemmed

APPEAL, PROJECT, ORGANISATION, FAQ = "appeal", "project", "organisation", "faq"
INDEXED_KINDS = (APPEAL, PROJECT, ORGANISATION, FAQ)
BATCH = 2000
_FILE_SEPARATORS = re.compile(r"[_.\-]+")
# between separate texts of one column (history lines, answers, file names): a snippet that spans two reads «… · …»;
# neither database reads it as a word (PostgreSQL's parser: a blank; SQLite: no letter), so stems and ranks are as
# without it
SEPARATOR = " · "
_paused = threading.local()


@dataclass
class _Texts:
    title: str = ""
    body: str = ""
    names: str = ""
    public_notes: list[str] = field(default_factory=list)
    all_notes: list[str] = field(default_factory=list)
    public_files: list[str] = field(default_factory=list)
    all_files: list[str] = field(default_factory=list)

    def note(self, text: str, *, public: bool) -> None:
        if text:
            self.all_notes.append(text)
            if public:
                self.public_notes.append(text)

    def file(self, name: str, *, public: bool) -> None:
        name = _FILE_SEPARATORS.sub(" ", name or "").strip()  # «Выписка_ЕГРН.pdf» is searched as words
        if name:
            self.all_files.append(name)
            if public:
                self.public_files.append(name)

    def entry(self, kind: str, pk: int) -> SearchEntry:
        return SearchEntry(
            kind=kind, object_id=pk, title=self.title, body=self.body, names=self.names,
            public_notes=SEPARATOR.join(self.public_notes), all_notes=SEPARATOR.join(self.all_notes),
            public_files=SEPARATOR.join(self.public_files), all_files=SEPARATOR.join(self.all_files),
        )


def _appeal_entries(ids: list[int]) -> Iterator[SearchEntry]:
    texts: dict[int, _Texts] = {}
    rows = Appeal.objects.filter(pk__in=ids).order_by().values_list(
        "pk", "number", "subject", "organisation_name", "description", "answer_text", "answered_at", "status")
    for pk, number, subject, company, description, answer, answered_at, status in rows:
        # trigrams of the company's name only: the subject's words are found by their stems, and its trigrams made
        # every search of two common words read thousands more rows (docs/search.md «Ranking, words and typos»)
        texts[pk] = _Texts(title=f"{number} {subject} {company}", body=description, names=company)
        # the answer being prepared is staff's until it is sent; a sent one is also an approved round below
        texts[pk].note(answer, public=bool(answered_at) and status != AppealStatus.APPROVAL)
    rounds = AppealAnswer.objects.filter(appeal_id__in=ids).order_by("appeal_id", "number")
    for appeal_id, text in rounds.values_list("appeal_id", "text"):
        texts[appeal_id].note(text, public=True)
    events = AppealEvent.objects.filter(appeal_id__in=ids).exclude(text="").order_by("appeal_id", "created_at", "pk")
    for appeal_id, text, public in events.values_list("appeal_id", "text", "is_public"):
        texts[appeal_id].note(text, public=public)
    files = AppealFile.objects.filter(appeal_id__in=ids).order_by("appeal_id", "pk")
    for appeal_id, name, public in files.values_list("appeal_id", "original_name", "is_public"):
        texts[appeal_id].file(name, public=public)
    for pk, item in texts.items():
        item.public_notes = list(dict.fromkeys(item.public_notes))  # an approved answer is also its history line
        item.all_notes = list(dict.fromkeys(item.all_notes))
        yield item.entry(APPEAL, pk)


def _project_entries(ids: list[int]) -> Iterator[SearchEntry]:
    texts: dict[int, _Texts] = {}
    for pk, number, name, description, short, full in Project.objects.filter(pk__in=ids).order_by().values_list(
            "pk", "registry_number", "name", "description", "investor__short_name", "investor__full_name"):
        # the investor's names as the project list's search reads them: «Лесная логистика» finds its projects
        company = " ".join(dict.fromkeys(part for part in (short, full) if part))
        texts[pk] = _Texts(title=f"{number} {name} {company}".strip(), body=description, names=f"{name} {company}")
    events = ProjectEvent.objects.filter(project_id__in=ids).exclude(text="").order_by("project_id", "created_at", "pk")
    for project_id, text, public in events.values_list("project_id", "text", "is_public"):
        texts[project_id].note(text, public=public)
    documents = ProjectDocument.objects.filter(project_id__in=ids).order_by("project_id", "pk")
    for project_id, title, name, internal in documents.values_list("project_id", "title", "original_name",
                                                                   "is_internal"):
        texts[project_id].file(f"{title} {name}" if title else name, public=not internal)
    for pk, item in texts.items():
        yield item.entry(PROJECT, pk)


def _organisation_entries(ids: list[int]) -> Iterator[SearchEntry]:
    for pk, short, full, inn in Organisation.objects.filter(pk__in=ids).order_by().values_list(
            "pk", "short_name", "full_name", "inn"):
        yield _Texts(title=f"{short} {full} {inn}".strip(), names=f"{short} {full}").entry(ORGANISATION, pk)


def _faq_entries(ids: list[int]) -> Iterator[SearchEntry]:
    for pk, question, answer in FaqEntry.objects.filter(pk__in=ids, is_published=True).order_by().values_list(
            "pk", "question", "answer"):
        yield _Texts(title=question, body=answer, names=question[:300]).entry(FAQ, pk)


_BUILDERS: dict[str, tuple[type, Callable[[list[int]], Iterator[SearchEntry]]]] = {
    APPEAL: (Appeal, _appeal_entries),
    PROJECT: (Project, _project_entries),
    ORGANISATION: (Organisation, _organisation_entries),
    FAQ: (FaqEntry, _faq_entries),
}


def _fts_delete(ids: Iterable[int]) -> None:
    ids = list(ids)
    if connection.vendor != "sqlite" or not ids:
        return
    marks = ",".join("%s" for _ in ids)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM core_search_fts WHERE rowid IN ({marks})", ids)
        cursor.execute(f"DELETE FROM core_search_trgm WHERE rowid IN ({marks})", ids)


def _fts_insert(entries: list[SearchEntry]) -> None:
    if connection.vendor != "sqlite" or not entries:
        return
    _fts_delete(e.pk for e in entries)  # rows a flushed test database may have left under reused ids
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO core_search_fts (rowid, title, body, public_notes, all_notes, public_files, all_files)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s)",
            [(e.pk, stemmed(e.title), stemmed(e.body), stemmed(e.public_notes), stemmed(e.all_notes),
              stemmed(e.public_files), stemmed(e.all_files)) for e in entries],
        )
        cursor.executemany("INSERT INTO core_search_trgm (rowid, names) VALUES (%s, %s)",
                           [(e.pk, e.names) for e in entries])


def index_objects(kind: str, ids: Iterable[int]) -> int:
    """Write the rows of these objects of `kind` again (an object that is gone, or an unpublished FAQ entry, loses
    its row). Returns how many rows were written. A fixed number of queries per batch of BATCH objects."""
    _model, build = _BUILDERS[kind]
    ids = sorted(set(ids))
    written = 0
    for start in range(0, len(ids), BATCH):
        batch = ids[start:start + BATCH]
        with transaction.atomic():
            old = SearchEntry.objects.filter(kind=kind, object_id__in=batch)
            if connection.vendor == "sqlite":
                _fts_delete(old.values_list("pk", flat=True))
            old.delete()
            entries = SearchEntry.objects.bulk_create(list(build(batch)))
            _fts_insert(entries)
        written += len(entries)
    return written


def search_index_rebuild(*, progress: Callable[[str], None] | None = None) -> dict[str, int]:
    """Every row again, in one transaction (the old index answers until it commits). Idempotent."""
    counts = {}
    with transaction.atomic():
        SearchEntry.objects.all().delete()
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM core_search_fts")
                cursor.execute("DELETE FROM core_search_trgm")
        for kind, (model, _build) in _BUILDERS.items():
            ids = model.objects.order_by("pk").values_list("pk", flat=True)
            if kind == FAQ:
                ids = ids.filter(is_published=True)
            counts[kind] = index_objects(kind, list(ids))
            if progress:
                progress(kind)
    return counts


class _Pending:
    """One transaction's objects to index again, written once when it commits."""

    def __init__(self, owner) -> None:
        self.owner = owner  # the transaction's outermost atomic block
        self.keys: dict[str, set[int]] = defaultdict(set)
        self.done = False

    def __call__(self) -> None:
        self.done = True
        for kind, ids in self.keys.items():
            index_objects(kind, ids)


def _transaction_block(conn):
    """The outermost atomic block of the current transaction; a test case's own blocks do not count (they never
    commit), so in tests each door's transaction is one, as in production. None outside a transaction."""
    return next((block for block in conn.atomic_blocks if not getattr(block, "_from_testcase", False)), None)


def index_later(kind: str, pk: int | None) -> None:
    """Index the object again after the current transaction commits (at once outside one); each object once per
    transaction however often it changed. Nothing while paused (search_index_paused)."""
    if pk is None or getattr(_paused, "on", False):
        return
    conn = transaction.get_connection()
    owner = _transaction_block(conn)
    pending: _Pending | None = getattr(conn, "_search_pending", None)
    if (owner is not None and pending is not None and pending.owner is owner and not pending.done
            and any(entry[1] is pending for entry in conn.run_on_commit)):  # not rolled back meanwhile
        pending.keys[kind].add(pk)
        return
    pending = _Pending(owner)
    pending.keys[kind].add(pk)
    conn._search_pending = pending
    transaction.on_commit(pending)


@contextmanager
def search_index_paused():
    """Bulk loaders (the demo) write thousands of rows and rebuild the index once at the end."""
    before = getattr(_paused, "on", False)
    _paused.on = True
    try:
        yield
    finally:
        _paused.on = before
