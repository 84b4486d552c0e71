"""The manager cabinet's ModelAdmins, one module per aggregate. Django autodiscovers this package because
admin_site is the app labelled "admin"; it runs before the third-party apps' own admin modules, so each
module here imports the one it replaces before swapping the registration (base.reregister)."""

from admin_site.admin import (
    access,
    answers,
    api_tokens,
    appeals,
    audit,
    classifier,
    consent,
    document_templates,
    notifications,
    organisations,
    project_refs,
    projects,
    roles,
    tasks,
    users,
    webhooks,
)

__all__ = [
    "access", "answers", "api_tokens", "appeals", "audit", "classifier", "consent", "document_templates",
    "notifications", "organisations",
    "project_refs", "projects", "roles", "tasks", "users", "webhooks",
]
