"""An uploaded spreadsheet checked before any row is read: its size, that it really is the format chosen, and
that it holds no formulas. A formula in a downloaded export is not data (its value would be whatever the
spreadsheet last computed) and may be an injection; the file is refused with the cell named.

A csv is read as Excel writes it on a Russian computer too: «CSV UTF-8» with commas, and «CSV (разделители —
запятые)», which is Windows-1251 with semicolons. `csv_normalised` turns either into UTF-8 with commas, the one
form the importer (django-import-export) reads.
"""

import csv
import io
import zipfile

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

IMPORT_FILE_MAX_MB = 10
IMPORT_ROWS_MAX = 20_000  # rows read by this check at most; the resources set their own, smaller limits
MB = 1024 * 1024


def _formula_error(cell: str) -> ValidationError:
    return ValidationError(gettext(
        "В ячейке %(cell)s формула. Загрузите файл со значениями: в таблице выделите всё, скопируйте и вставьте "
        "«только значения», затем сохраните.") % {"cell": cell})


def _xlsx_check(upload: UploadedFile) -> None:
    if not zipfile.is_zipfile(upload):
        raise ValidationError(gettext("Файл не похож на xlsx: сохраните таблицу как «Книга Excel (.xlsx)» или "
                                      "выберите формат csv."))
    upload.seek(0)
    try:
        sheet = load_workbook(upload, read_only=True, data_only=False).active
        for number, row in enumerate(sheet.iter_rows(), 1):
            if number > IMPORT_ROWS_MAX:
                raise ValidationError(gettext("В файле больше %(limit)s строк: разделите его.")
                                      % {"limit": IMPORT_ROWS_MAX})
            for cell in row:
                if getattr(cell, "data_type", None) == "f":
                    raise _formula_error(cell.coordinate)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError):
        raise ValidationError(gettext("Файл xlsx повреждён или не читается: откройте его в таблице и сохраните "
                                      "заново.")) from None


CSV_ENCODINGS = ("utf-8-sig", "cp1251")  # «CSV UTF-8», then what Excel in Russian calls plain «CSV»
CSV_DELIMITERS = ",;\t"


def _csv_text(raw: bytes) -> str:
    for encoding in CSV_ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(gettext("Файл csv не читается: сохраните его как «CSV UTF-8 (разделитель — запятая)» или "
                                  "выберите формат xlsx."))


def _csv_delimiter(text: str) -> str:
    """Commas, semicolons or tabs: whichever the header line holds most of (commas when it holds none)."""
    header = next(csv.reader(io.StringIO(text[:8192])), [""])
    line = ",".join(header)  # read as commas: a semicolon or tab file is one long cell here
    counts = {delimiter: line.count(delimiter) for delimiter in CSV_DELIMITERS}
    return max(counts, key=lambda delimiter: (counts[delimiter], delimiter == ","))


def _csv_rows(text: str):
    return csv.reader(io.StringIO(text), delimiter=_csv_delimiter(text))


def csv_normalised(raw: bytes) -> bytes:
    """The csv as UTF-8 with commas (the rows and every value unchanged); ValidationError if it cannot be read."""
    text = _csv_text(raw)
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(_csv_rows(text))
    return out.getvalue().encode()


def _csv_check(upload: UploadedFile) -> None:
    text = _csv_text(upload.read())
    width = None
    for number, row in enumerate(_csv_rows(text), 1):
        if number > IMPORT_ROWS_MAX:
            raise ValidationError(gettext("В файле больше %(limit)s строк: разделите его.")
                                  % {"limit": IMPORT_ROWS_MAX})
        if row and width is None:
            width = len(row)
        elif row and len(row) != width:  # an empty line is skipped by the importer; a ragged one stops it
            raise ValidationError(gettext(
                "В строке %(row)s столбцов %(count)s, а в заголовке %(header)s: проверьте кавычки и разделители "
                "(значение с запятой или точкой с запятой берётся в кавычки).")
                % {"row": number, "count": len(row), "header": width})
        for column, value in enumerate(row):
            if value.startswith("="):
                raise _formula_error(f"{_column_letter(column)}{number}")


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def spreadsheet_check(upload: UploadedFile, *, extension: str) -> None:
    """Raise a Russian ValidationError if the file is too big, is not `extension` (xlsx or csv) or has a formula."""
    if upload.size > IMPORT_FILE_MAX_MB * MB:
        raise ValidationError(gettext("Файл больше %(limit)s МБ: разделите его на части.")
                              % {"limit": IMPORT_FILE_MAX_MB})
    try:
        if extension == "xlsx":
            _xlsx_check(upload)
        elif extension == "csv":
            _csv_check(upload)
    except csv.Error:
        raise ValidationError(gettext("Файл csv не читается: проверьте кавычки и разделители.")) from None
    finally:
        upload.seek(0)
