"""The cabinet's searchable person pickers (select2, admin_site/forms/people.py) as a person uses them."""

import re
from urllib.parse import parse_qs, urlsplit


def picker(form, field: str):
    return form.locator(f'select[name="{field}"] + .select2 .select2-selection')


def open_picker(page, form, field: str, typed: str = "") -> list[str]:
    """Open a person picker (unless it is open), type into its search box and return what it offers once the
    answer came."""
    if not page.locator(".select2-container--open .select2-search__field").count():
        picker(form, field).click()
    search = page.locator(".select2-container--open .select2-search__field")
    search.wait_for()
    if typed:
        # select2 asks after a 250 ms pause and shows the old list meanwhile, with nothing loading: wait for the
        # answer to this text, or a busy machine reads the list from before it was typed
        with page.expect_response(lambda response: parse_qs(urlsplit(response.url).query).get("term") == [typed]):
            search.fill(typed)
    page.locator(".select2-container--open .select2-results__option:not(.loading-results)").first.wait_for()
    page.wait_for_function("() => !document.querySelector('.select2-container--open .loading-results')")
    return [text.strip() for text in
            page.locator(".select2-container--open .select2-results__option").all_text_contents()]


def offers(offered: list[str], person) -> bool:
    """Whether the list names the person (a label is the full name, then the job after a comma)."""
    return any(name == person.full_name or name.startswith(f"{person.full_name},") for name in offered)


def offers_head(offered: list[str], person) -> bool:
    """The head's list names each person with their organisation: «Ф. И. О., должность (организация)»."""
    return any(name.startswith(f"{person.full_name},") or name.startswith(f"{person.full_name} (")
               for name in offered)


def choose(page, person) -> None:
    """Click the person's line (not a namesake whose name merely begins the same)."""
    line = re.compile(rf"^\s*{re.escape(person.full_name)}(,| \(|\s*$)")
    page.locator(".select2-container--open .select2-results__option", has_text=line).click()
