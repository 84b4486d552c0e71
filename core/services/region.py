"""Installing a region pack (core/region.py): its roles, districts, appeal types, classifier and the rest of its
reference data, by natural keys, in one transaction. The door of `manage.py install_region` and `seed_reference`.

Installing the pack of the region already installed is an upgrade: new rows are added, changed names are taken
over, and what administrators tune in the cabinet (appeal type periods, request periods, a switched-off support
measure) is kept, so running it twice changes nothing. A database holding another region's districts is refused.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from core.models import District
from core.region import Region, RegionPackError, current_region
from core.services import reference
from core.services.roles import roles_sync

REFERENCE_FILES = ("districts.json", "appeal_types.json", "classifier.json", "industries.json", "checklist.json",
                   "support_measures.json", "request_periods.json")


class RegionInstallError(Exception):
    """The pack cannot be installed here; the message is Russian and nothing was changed."""


def _pack_checked(pack: Region) -> None:
    missing = [name for name in REFERENCE_FILES if not (pack.reference_dir / name).is_file()]
    if missing:
        raise RegionPackError(_("В пакете региона %(path)s нет файлов fixtures/reference/: %(files)s.")
                              % {"path": pack.path, "files": ", ".join(missing)})
    codes = [row["code"] for row in reference._load("districts.json", pack)["districts"]]
    foreign = [code for code in codes if not code.startswith(pack.oktmo_prefix)]
    if not codes or foreign:
        raise RegionPackError(
            _("Районы пакета «%(region)s» должны иметь коды ОКТМО, начинающиеся с %(prefix)s (oktmo_prefix в "
              "region.toml); не подходят: %(codes)s.")
            % {"region": pack.name, "prefix": pack.oktmo_prefix, "codes": ", ".join(foreign) or "—"})


def region_installed_elsewhere(pack: Region) -> list[str]:
    """OKTMO codes of districts in the database that are not the pack's region (the first few), [] when none."""
    return list(District.objects.exclude(code__startswith=pack.oktmo_prefix).order_by("code")
                .values_list("code", flat=True)[:5])


def region_install(*, pack: Region | None = None) -> dict[str, int]:
    """Install (or upgrade) the pack into this installation; returns how many rows of each kind the pack has.

    The pack must be the one settings.REGION_PACK names: the site shows that region's names and contacts, so data
    of another region would be shown under the wrong letterhead."""
    configured = current_region()
    pack = pack or configured
    if pack.path.resolve() != configured.path.resolve():
        raise RegionInstallError(
            _("Пакет %(pack)s не тот, что указан в настройке REGION_PACK (%(configured)s): сайт показывал бы "
              "название и контакты другого региона. Укажите REGION_PACK=%(pack)s в окружении и повторите.")
            % {"pack": pack.path, "configured": configured.path})
    _pack_checked(pack)
    with transaction.atomic():
        foreign = region_installed_elsewhere(pack)
        if foreign:
            raise RegionInstallError(
                _("В базе уже установлен другой регион: районы с кодами ОКТМО %(codes)s не относятся к региону "
                  "«%(region)s» (коды на %(prefix)s). Пакет региона ставится в пустую базу или поверх того же "
                  "региона; ничего не изменено.")
                % {"codes": ", ".join(foreign), "region": pack.name, "prefix": pack.oktmo_prefix})
        return {
            "roles": len(roles_sync()),
            "districts": reference.districts_load(pack=pack),
            "appeal_types": reference.appeal_types_load(pack=pack),
            "facts": reference.classifier_load(pack=pack),
            "industries": reference.industries_load(pack=pack),
            "checklist": reference.checklist_load(pack=pack),
            "support_measures": reference.support_measures_load(pack=pack),
            "request_periods": reference.request_periods_load(pack=pack),
        }
