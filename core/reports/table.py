"""The plain-value table every report returns and every renderer reads.

A query builds a Table with SQL aggregates (a constant number of queries whatever the data size); the values
are str, int, float, Decimal, date, datetime or None — nothing lazy, no model instances — so renderers and
templates cannot reach the database.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

# What a report page shows (the files always hold every row): a tree of up to FULL_TREE_ROWS rows is shown whole,
# a longer one collapsed to its top rows with a link to open each branch; the rows shown go PAGE_ROWS to a page.
FULL_TREE_ROWS = 300
PAGE_ROWS = 50

Value = str | int | float | Decimal | date | datetime | None

TEXT, INT, DECIMAL, PERCENT, RATING, DATE, DATETIME, MONEY = (
    "text", "int", "decimal", "percent", "rating", "date", "datetime", "money",
)


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = TEXT  # one of the constants above: decides the cell type and number format
    # No width: the files measure each column by its content (core.reports.render.measured).


@dataclass
class Row:
    values: tuple[Value, ...]
    level: int = 0  # depth in a tree report (0 = top); flat reports leave 0
    kind: str = ""  # e.g. "executor", "category", "subcategory", "fact" in a tree report
    link: str = ""  # cabinet URL of the row's object, for the page (not written to files)
    # A tree page that builds only the branches it shows (ReportSpec.page_build): a top row's stable key for the
    # page's «open» links, and whether rows lie under it that were not built. Files never read these.
    key: str = ""
    expandable: bool = False


@dataclass
class Table:
    slug: str
    title: str
    columns: list[Column]
    rows: Iterable[Row]  # a list for reports; a generator for registers that stream
    meta: list[tuple[str, str]] = field(default_factory=list)  # header lines: («Дата выгрузки», «26.02.2025»)
    total: Row | None = None
    note: str = ""  # a line under the table (e.g. the random sample's seed)

    def as_dicts(self) -> list[dict]:
        keys = [c.key for c in self.columns]
        return [dict(zip(keys, row.values, strict=True)) for row in self.rows]
