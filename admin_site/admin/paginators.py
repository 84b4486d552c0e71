"""Paginators for the cabinet's largest lists."""

from django.core.paginator import EmptyPage, Paginator
from django.utils.functional import cached_property

from core.selectors.estimates import table_rows_estimate

ESTIMATE_FROM = 10_000  # below this many rows an exact count is cheap and an estimate only looks odd


class EstimatedCountPaginator(Paginator):
    """A list nobody filtered (no filter, no search, a user who sees every row) counts from the database's
    statistics instead of COUNT(*) over the whole table; anything narrower is counted exactly.
    `estimated` tells the footer to say «≈»."""

    estimated = False

    @cached_property
    def count(self) -> int:
        if not self.object_list.query.has_filters():
            estimate = table_rows_estimate(self.object_list.model)
            if estimate is not None and estimate >= ESTIMATE_FROM:
                self.estimated = True
                return estimate
        return self.object_list.count()

    def validate_number(self, number):
        """A page beyond the estimate (the table grew since ANALYZE) is found by counting exactly."""
        try:
            return super().validate_number(number)
        except EmptyPage:
            if not self.estimated:
                raise
            self.estimated = False
            self.__dict__["count"] = self.object_list.count()
            self.__dict__.pop("num_pages", None)
            return super().validate_number(number)
