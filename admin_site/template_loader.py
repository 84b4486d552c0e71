"""The app-directories template loader, with unfold's buttons that name a model put in the accusative.

unfold writes `{% trans "Delete" %} {{ opts.verbose_name }}` and «Add {{ name }}» with the nominative name
(«Удалить организация»). Copying those templates into the project to change one line each would fork them; this
loader instead edits the few lines as unfold's own templates are read, and raises if a line it expects is gone
(an unfold upgrade changed the template: look at the new one and update PATCHES), so the mistake cannot come
back silently. The tests open every patched template (tests/admin_site/test_grammar.py).

The same way, unfold's change list asks `{% cabinet_result_list %}` (admin_site/templatetags/cabinet_list.py) for
its rows, and its results template prints the rows that tag drew (admin_site/admin/rows.py) in place of its own
loop, which stays for the lists the tag leaves to unfold; its sidebar is drawn by `{% cabinet_app_list %}`
(admin_site/templatetags/cabinet_sidebar.py), once for each distinct sidebar.
"""

from django.core.exceptions import ImproperlyConfigured
from django.template.loaders import app_directories

LOAD = "{% load cabinet_grammar %}"

# template name -> [(unfold's text, ours)]
PATCHES: dict[str, list[tuple[str, str]]] = {
    "admin/submit_line.html": [
        ('{% trans "Delete" %} {{ opts.verbose_name }}', '{% trans "Delete" %} {{ opts|accusative }}'),
    ],
    # the add button says «Добавить» (unfold draws a bare «+», named only by a tooltip a phone never shows); the
    # whole name stays the tooltip and becomes the accessible name, which begins with the visible word
    "unfold/helpers/add_link.html": [
        ("{% blocktranslate with name=cl.opts.verbose_name asvar title %}",
         "{% blocktranslate with name=cl.opts|accusative asvar title %}"),
        ("{% blocktranslate with name=opts.verbose_name asvar title %}",
         "{% blocktranslate with name=opts|accusative asvar title %}"),
        ("rounded-default w-[38px] hover:bg-primary-600/80 dark:border-primary-500\" title=\"{{ title }}\"",
         "rounded-default gap-1 px-3 text-white font-medium whitespace-nowrap hover:bg-primary-600/80 "
         "dark:border-primary-500\" title=\"{{ title }}\" aria-label=\"{{ title }}\""),
        ('<span class="material-symbols-outlined text-white">add</span>',
         '<span class="material-symbols-outlined text-white" aria-hidden="true">add</span>'
         '<span>{% translate "Добавить" %}</span>'),
    ],
    # the list's rows drawn by admin_site.admin.rows where it can (the same markup): unfold's loop over the rows
    # stays for the lists it cannot draw
    "admin/change_list.html": [
        ("{% unfold_result_list cl %}", "{% load cabinet_list %}{% cabinet_result_list cl %}"),
    ],
    "admin/change_list_results.html": [
        ("{% for result in results %}", "{% if rows %}{{ rows }}{% else %}{% for result in results %}"),
        ("{% endfor %}\n        </table>", "{% endfor %}{% endif %}\n        </table>"),
    ],
    # the sidebar's markup kept per distinct sidebar (admin_site/templatetags/cabinet_sidebar.py)
    "unfold/helpers/navigation.html": [
        ('{% include "unfold/helpers/app_list.html" with app_list=available_apps %}',
         "{% load cabinet_sidebar %}{% cabinet_app_list %}"),
    ],
    "unfold/helpers/empty_results.html": [
        ("{% blocktranslate with name=cl.opts.verbose_name asvar title %}",
         "{% blocktranslate with name=cl.opts|accusative asvar title %}"),
    ],
}


class Loader(app_directories.Loader):
    def get_contents(self, origin) -> str:
        contents = super().get_contents(origin)
        patches = PATCHES.get(origin.template_name)
        if not patches or "/unfold/templates/" not in str(origin.name).replace("\\", "/"):
            return contents
        for old, new in patches:
            if old not in contents:
                raise ImproperlyConfigured(
                    f"admin_site.template_loader: {origin.name} no longer contains {old!r}; update PATCHES")
            contents = contents.replace(old, new)
        if any("|accusative" in new for _, new in patches):
            contents = LOAD + contents
        return contents
