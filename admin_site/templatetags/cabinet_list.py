"""{% cabinet_result_list cl %}: unfold's `unfold_result_list` with the rows drawn by admin_site.admin.rows when the
list allows it (admin_site.template_loader puts this tag into unfold's change_list.html). Otherwise it is unfold's
own tag function, unchanged."""

from django.contrib.admin.templatetags.admin_list import result_hidden_fields
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.template import Library
from unfold.templatetags import unfold_list

from admin_site.admin.rows import rows_markup

register = Library()


def result_list(context, cl) -> dict:
    rows = rows_markup(cl, context.get("actions_row"))
    if rows is None:
        return {**unfold_list.result_list(context, cl), "rows": None}
    headers = list(unfold_list.result_headers(cl))  # the rest as unfold's result_list has it
    return {
        "cl": cl,
        "result_hidden_fields": list(result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for header in headers if header["sortable"] and header["sorted"]),
        "results": cl.result_list,
        "rows": rows,
        "actions_row": context.get("actions_row"),
        "has_add_permission": cl.model_admin.has_add_permission(context["request"]),
    }


@register.tag(name="cabinet_result_list")
def result_list_tag(parser, token) -> InclusionAdminNode:
    return InclusionAdminNode(parser, token, func=result_list, template_name="change_list_results.html")
