"""Pieces the API's routes share: the problem responses each operation declares, and small adapters."""

from core.api.problems import Problem

READ_ERRORS = {401: Problem, 404: Problem, 429: Problem}
WRITE_ERRORS = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 429: Problem}
VERSIONED_ERRORS = {**WRITE_ERRORS, 409: Problem, 412: Problem, 428: Problem}


def person(user) -> str | None:
    return (user.full_name or user.email) if user else None
