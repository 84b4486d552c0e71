"""The region this installation serves: what the site says about the region and its agency, read from the region
pack (docs/adr/0007-region-pack.md).

A pack is a folder, `regions/<name>/` by default: `region.toml` (the region's and the agency's names and contacts),
`static/` (the agency's logo) and `fixtures/` (`reference/` — districts with OKTMO codes, appeal types and their
periods, the classifier, industries, stage checklist, support measures, request periods; `demo/` — the invented
demo world, optional). `settings.REGION_PACK` names the pack; `manage.py install_region` loads its fixtures.

No ORM here: templates, letters and the file renderers (which never touch the database) read the region the same
way, and a page costs no query for it. Module-level imports are stdlib only, so settings can import `pack_path`.
"""

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

SETTINGS_FILE = "region.toml"
_REQUIRED = ("code", "name", "oktmo_prefix", "cadastral_example")
_AGENCY_REQUIRED = ("name", "short_name")


class RegionPackError(Exception):
    """A pack that cannot be read: the message is Russian and says what to fix."""


def pack_path(value: str | Path, base_dir: Path) -> Path:
    """A pack by name (`leningrad` → `<base_dir>/regions/leningrad`) or by a path to its folder."""
    text = str(value).strip()
    if text and "/" not in text and "\\" not in text and text not in {".", ".."}:
        return base_dir / "regions" / text
    return Path(text).expanduser().resolve()


@dataclass(frozen=True)
class Region:
    path: Path
    code: str  # the pack's name, e.g. "leningrad"
    name: str  # «Заречная область» (the pack's region.toml)
    oktmo_prefix: str  # the first two digits of every district's OKTMO code: tells one region's data from another's
    cadastral_example: str  # a cadastral number of the region, shown as the example of the format
    agency_name: str
    agency_short_name: str
    phone: str = ""
    email: str = ""
    site: str = ""  # https://…
    address: str = ""
    logo: str = ""  # a file in the pack's static/ folder, served as static "region/<logo>"

    @property
    def reference_dir(self) -> Path:
        return self.path / "fixtures" / "reference"

    @property
    def demo_dir(self) -> Path:
        return self.path / "fixtures" / "demo"

    @property
    def static_dir(self) -> Path:
        return self.path / "static"

    @property
    def logo_static(self) -> str:
        """The logo's static path ("region/logo.svg"), or "" when the pack has none."""
        return f"region/{self.logo}" if self.logo else ""

    @property
    def site_label(self) -> str:
        """The site as people write it: «invest.zarechye.example»."""
        return self.site.removeprefix("https://").removeprefix("http://").rstrip("/")

    @property
    def phone_href(self) -> str:
        """The phone for a tel: link: «+7 (813) 000-00-00» → «+78130000000»."""
        return "".join(ch for ch in self.phone if ch.isdigit() or ch == "+")

    @property
    def cadastral_district(self) -> str:
        """The cadastral district of the region: the first part of its cadastral numbers («00:05:…» → «00»)."""
        return self.cadastral_example.split(":", 1)[0]

    @property
    def contacts(self) -> list[str]:
        """The agency's contacts that are given, in the order a letterhead shows them: phone, email, site."""
        return [value for value in (self.phone, self.email, self.site_label) if value]

    def letterhead_parts(self, *, kind: str = "") -> list[str]:
        from django.utils.translation import gettext

        return [*([kind] if kind else []), gettext("ЗЕЛЁНЫЙ КОРИДОР"), self.name, *self.contacts]

    def letterhead(self, *, kind: str = "") -> str:
        """«ОТЧЁТ · ЗЕЛЁНЫЙ КОРИДОР · <region> · <phone> · <email> · <site>» (the contacts given): the line at
        the top of every report page and file (`kind` is the document's kind, e.g. «ОТЧЁТ»; empty for none)."""
        return " · ".join(self.letterhead_parts(kind=kind))

    @property
    def report_letterhead_parts(self) -> list[str]:
        """The report letterhead's pieces, for a page that keeps each on one line (a phone never breaks)."""
        from django.utils.translation import gettext

        return self.letterhead_parts(kind=gettext("ОТЧЁТ"))

    def report_letterhead(self) -> str:
        return " · ".join(self.report_letterhead_parts)


def _text(table: dict, key: str, where: str, *, required: bool) -> str:
    value = table.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise RegionPackError(f"В файле {where} нет обязательного текстового поля «{key}».")
    return value.strip()


@lru_cache(maxsize=8)
def region_load(path: Path) -> Region:
    """The pack at `path`; RegionPackError (Russian) when the folder or its settings file is missing or incomplete."""
    settings_file = path / SETTINGS_FILE
    if not path.is_dir():
        raise RegionPackError(f"Пакет региона не найден: папки {path} нет.")
    if not settings_file.is_file():
        raise RegionPackError(f"В пакете региона {path} нет файла настроек {SETTINGS_FILE}.")
    try:
        data = tomllib.loads(settings_file.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise RegionPackError(f"Файл {settings_file} не читается как TOML: {error}.") from error
    agency = data.get("agency")
    if not isinstance(agency, dict):
        raise RegionPackError(f"В файле {settings_file} нет раздела [agency] с названием и контактами агентства.")
    fields = {key: _text(data, key, str(settings_file), required=True) for key in _REQUIRED}
    if not (len(fields["oktmo_prefix"]) == 2 and fields["oktmo_prefix"].isdigit()):
        raise RegionPackError(f"В файле {settings_file} поле «oktmo_prefix» — две цифры кода ОКТМО региона.")
    where = f"{settings_file} [agency]"
    region = Region(
        path=path, **fields,
        agency_name=_text(agency, "name", where, required=True),
        agency_short_name=_text(agency, "short_name", where, required=True),
        **{key: _text(agency, key, where, required=False) for key in ("phone", "email", "site", "address", "logo")},
    )
    if region.logo and not (region.static_dir / region.logo).is_file():
        raise RegionPackError(f"Логотип {region.static_dir / region.logo} из файла {settings_file} не найден.")
    return region


def current_region() -> Region:
    """The region of settings.REGION_PACK (read once per process and pack)."""
    from django.conf import settings

    return region_load(pack_path(settings.REGION_PACK, Path(settings.BASE_DIR)))
