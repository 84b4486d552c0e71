"""django-filter FilterSets of the lists every face shows — appeals, projects, tasks, meetings — used through the
list selectors (core.selectors.appeals.appeal_list, core.selectors.projects.project_list, task_list, meeting_list)
by the cabinet's lists, the registers and their background jobs, the portal's lists and the reports.
docs/architecture.md, «Filters»."""

from core.filters.base import NAVIGATION_PARAMS, FilterError, ListFilterSet

__all__ = ["NAVIGATION_PARAMS", "FilterError", "ListFilterSet"]
