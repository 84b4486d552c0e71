"""Filling a .docx template: placeholders {{ проект.название }} in the text, lists repeated row by row.

The syntax (docs/documents.md): `{{ name }}`, spaces inside the braces optional, a name from PLACEHOLDERS. A name
«<list>.<field>» of a list in LISTS (меры, дорожная_карта, обращения, история, встреча, обращение) makes the table
row — or, outside a table, the paragraph — it stands in repeat once per item of the list; an empty list removes
the row or paragraph. «{{ <list>.есть }}» keeps its row or paragraph (once) only when the list has items,
«{{ <list>.нет }}» only when it is empty: a lead-in line or a table's header row with the first, «Открытых
обращений нет.» with the second (a table left without rows is removed). Word splits a paragraph's text into runs
wherever the formatting or the editing history changes, so «{{ проект.название }}» may arrive as «{{ про» +
«ект.назв» + «ание }}»: a paragraph whose placeholders do not each sit in one run is merged into its first run
(keeping that run's formatting) before the replacement.
"""

import re
from copy import deepcopy
from dataclasses import dataclass, field
from io import BytesIO

from django.utils.translation import gettext_lazy as _
from docx import Document
from docx.table import Table, _Row
from docx.text.paragraph import Paragraph

PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")

# name -> what it holds (docs/documents.md prints this table)
SCALARS = {
    "дата": _("сегодняшняя дата, дд.мм.гггг"),
    "регион": _("название региона"),
    "шапка": _("строка бланка: «ЗЕЛЁНЫЙ КОРИДОР · регион · контакты»"),
    "пользователь.фио": _("кто формирует документ"),
    "пользователь.должность": _("его должность"),
    "пользователь.телефон": _("его телефон"),
    "пользователь.email": _("его e-mail"),
    "проект.номер": _("реестровый номер проекта"),
    "проект.название": _("название проекта"),
    "проект.инвестор": _("инвестор (полное название)"),
    "проект.инвестор_кратко": _("инвестор (краткое название)"),
    "проект.инн": _("ИНН инвестора"),
    "проект.район": _("район"),
    "проект.отрасль": _("отрасль"),
    "проект.этап": _("этап проекта"),
    "проект.объём_инвестиций": _("объём инвестиций, ₽"),
    "проект.рабочих_мест": _("рабочих мест"),
    "проект.описание": _("описание проекта"),
    "проект.начало_строительства": _("плановое начало строительства"),
    "проект.ввод": _("плановый ввод в эксплуатацию"),
    "проект.менеджер": _("персональный менеджер"),
    "проект.менеджер_контакты": _("телефон и e-mail персонального менеджера"),
}
LISTS = {
    "меры": {"название": _("мера поддержки"), "статус": _("статус"), "запрошена": _("дата запроса")},
    "дорожная_карта": {
        "номер": _("№ по порядку"), "пункт": _("пункт"), "срок": _("плановые сроки"),
        "ответственный": _("ответственный"), "статус": _("статус (и «просрочен»)"),
    },
    "обращения": {
        "номер": _("номер открытого обращения"), "тема": _("тема"), "статус": _("статус"),
        "срок": _("ответить до"),
    },
    "история": {"когда": _("дата и время"), "событие": _("вид события"), "текст": _("что произошло")},
    "встреча": {
        "когда": _("ближайшая запланированная встреча: дата и время"), "тема": _("тема"),
        "формат": _("формат"), "место": _("место"), "ссылка": _("ссылка на ВКС"), "повестка": _("повестка"),
    },
    "обращение": {
        "номер": _("обращение, на которое отвечают (письмо из карточки обращения): номер"), "тема": _("тема"),
        "срок": _("ответить до"), "статус": _("статус"),
        "ответ": _("текст ответа: последний направленный, до него — готовящийся; иначе строка, чтобы вписать"),
    },
}
COUNT = "количество"  # «{{ обращения.количество }}»: how many items a list has, a plain value, never repeated
# «{{ обращения.есть }}» / «{{ обращения.нет }}»: the row or paragraph stays once if the list has items / is empty
IF_ANY, IF_NONE = "есть", "нет"
FLAGS = {COUNT: _("сколько их (0, если нет)"),
         IF_ANY: _("пусто; строка или абзац остаётся, только если список не пуст"),
         IF_NONE: _("пусто; строка или абзац остаётся, только если список пуст")}
PLACEHOLDERS = {**SCALARS, **{f"{prefix}.{name}": text for prefix, fields in LISTS.items()
                              for name, text in {**fields, **FLAGS}.items()}}


@dataclass
class Filling:
    """What goes into a template: scalar values by name, list items by list name (each item: field -> text)."""

    values: dict[str, str] = field(default_factory=dict)
    lists: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    bound: frozenset[str] = frozenset()  # lists whose current item is in `values` (inside a repeated row)


def normalise(name: str) -> str:
    """«{{ Проект.Объем_Инвестиций }}» is «проект.объём_инвестиций»: no spaces, lower case, ё read as е."""
    return re.sub(r"\s+", "", name).lower().replace("ё", "е")


def known_names() -> set[str]:
    return {normalise(name) for name in PLACEHOLDERS}


def _list_of(name: str) -> str | None:
    prefix, dot, rest = name.partition(".")
    return prefix if dot and prefix in LISTS and rest not in FLAGS else None


def _conditions_hold(names, filling: "Filling") -> bool:
    """False if the text names «<list>.есть» of an empty list or «<list>.нет» of a list with items."""
    for name in names:
        prefix, _dot, rest = normalise(name).partition(".")
        if prefix in LISTS and rest in (IF_ANY, IF_NONE) and bool(filling.lists.get(prefix)) != (rest == IF_ANY):
            return False
    return True


def _containers(document):
    """The document's block containers: the body, every header and footer, and (through _blocks) table cells."""
    yield document
    for section in document.sections:
        for part in (section.header, section.footer, section.first_page_header, section.first_page_footer,
                     section.even_page_header, section.even_page_footer):
            if not part.is_linked_to_previous:
                yield part


def _paragraphs(container):
    """Every paragraph of a container, those in its tables (nested too) included."""
    yield from container.paragraphs
    for table in container.tables:
        for row in table.rows:
            for cell in _unique_cells(row):
                yield from _paragraphs(cell)


def _unique_cells(row):
    seen = set()
    for cell in row.cells:  # a merged cell is returned once per grid column it spans
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            yield cell


def _text(paragraph: Paragraph) -> str:
    return "".join(run.text for run in paragraph.runs)


def template_placeholders(document) -> list[tuple[str, set[str]]]:
    """(placeholder names, the lists they name) of every paragraph holding any, for the upload's checks."""
    found = []
    for container in _containers(document):
        for paragraph in _paragraphs(container):
            names = {normalise(name) for name in PLACEHOLDER.findall(_text(paragraph))}
            if names:
                found.append((names, {prefix for name in names if (prefix := _list_of(name))}))
    return found


def _tables(container):
    for table in container.tables:
        yield table
        for row in table.rows:
            for cell in _unique_cells(row):
                yield from _tables(cell)


def mixed_rows(document) -> list[set[str]]:
    """The lists named together in one table row (a row repeats for one list only)."""
    return [lists for container in _containers(document) for table in _tables(container) for row in table.rows
            if len(lists := _row_lists(row)) > 1]


def _row_lists(row) -> set[str]:
    return {prefix for cell in _unique_cells(row) for paragraph in _paragraphs(cell)
            for name in PLACEHOLDER.findall(_text(paragraph)) if (prefix := _list_of(normalise(name)))}


def _replace(text: str, values: dict[str, str]) -> str:
    return PLACEHOLDER.sub(lambda match: values.get(normalise(match.group(1)), ""), text)


def _fill_paragraph(paragraph: Paragraph, values: dict[str, str]) -> None:
    runs = paragraph.runs
    whole = "".join(run.text for run in runs)
    if "{{" not in whole:
        return
    if len(PLACEHOLDER.findall(whole)) == sum(len(PLACEHOLDER.findall(run.text)) for run in runs):
        for run in runs:  # every placeholder sits in one run: each run keeps its own formatting
            if "{{" in run.text:
                run.text = _replace(run.text, values)
        return
    runs[0].text = _replace(whole, values)  # split across runs: one run, the first one's formatting
    for run in runs[1:]:
        run._r.getparent().remove(run._r)


def _item_values(values: dict[str, str], prefix: str, item: dict[str, str]) -> dict[str, str]:
    return {**values, **{normalise(f"{prefix}.{name}"): text for name, text in item.items()}}


def _fill_table(table: Table, filling: Filling) -> None:
    for row in list(table.rows):
        if not _conditions_hold(_row_names(row), filling):
            row._tr.getparent().remove(row._tr)
            continue
        prefixes = _row_lists(row) - filling.bound
        if prefixes:
            prefix = sorted(prefixes)[0]  # the upload refuses a row naming two lists
            for item in filling.lists.get(prefix, []):
                copy = deepcopy(row._tr)
                row._tr.addprevious(copy)
                _fill_cells(_Row(copy, table), Filling(_item_values(filling.values, prefix, item), filling.lists,
                                                       filling.bound | {prefix}))
            row._tr.getparent().remove(row._tr)
        else:
            _fill_cells(row, filling)


def _row_names(row) -> list[str]:
    return [name for cell in _unique_cells(row) for paragraph in _paragraphs(cell)
            for name in PLACEHOLDER.findall(_text(paragraph))]


def _fill_cells(row, filling: Filling) -> None:
    for cell in _unique_cells(row):
        _fill_container(cell, filling)


def _fill_container(container, filling: Filling) -> None:
    for paragraph in list(container.paragraphs):
        names = PLACEHOLDER.findall(_text(paragraph))
        if not _conditions_hold(names, filling):
            paragraph._p.getparent().remove(paragraph._p)
            continue
        prefixes = {prefix for name in names if (prefix := _list_of(normalise(name)))} - filling.bound
        if not prefixes:
            _fill_paragraph(paragraph, filling.values)
            continue
        prefix = sorted(prefixes)[0]
        for item in filling.lists.get(prefix, []):
            copy = deepcopy(paragraph._p)
            paragraph._p.addprevious(copy)
            _fill_paragraph(Paragraph(copy, paragraph._parent), _item_values(filling.values, prefix, item))
        paragraph._p.getparent().remove(paragraph._p)
    for table in container.tables:
        _fill_table(table, filling)
        if not table.rows:  # every row was conditional and dropped: Word refuses a table without rows
            table._tbl.getparent().remove(table._tbl)


def fill_template(source: bytes, filling: Filling) -> bytes:
    """The template `source` (.docx bytes) with every placeholder replaced and every list row repeated."""
    document = Document(BytesIO(source))
    counts = {f"{prefix}.{COUNT}": str(len(filling.lists.get(prefix, []))) for prefix in LISTS}
    counts |= {f"{prefix}.{flag}": "" for prefix in LISTS for flag in (IF_ANY, IF_NONE)}
    filling = Filling({normalise(name): text for name, text in {**counts, **filling.values}.items()},
                      filling.lists)
    for container in _containers(document):
        _fill_container(container, filling)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
