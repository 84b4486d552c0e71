"""No script on the cabinet's form pages fails. unfold's ModelAdmin.media takes the list filters' scripts (the
admin's calendar.js and DateTimeShortcuts.js) once the list has been shown in the process, and those read the
admin's JavaScript catalogue: the register and dialog pages load it (/admin/jsi18n/) as Django's change form does,
or every later visit threw «gettext is not defined»."""

import pytest

from tests.e2e.test_appeal_journey import cabinet_login

pytestmark = pytest.mark.e2e


def test_the_form_pages_run_their_scripts_without_errors_after_the_list(page, coordinator, file_appeal):
    appeal = file_appeal()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_viewport_size({"width": 1440, "height": 900})
    cabinet_login(page, coordinator)
    for address in ("/admin/core/appeal/", "/admin/core/appeal/add/", f"/admin/core/appeal/{appeal.pk}/assign/",
                    "/admin/core/project/", "/admin/core/appeal/add/"):
        page.goto(address)
        page.wait_for_load_state("load")
        assert errors == [], (address, errors)
