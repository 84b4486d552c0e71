"""django-q2's schedules, finished tasks and ORM queue in the cabinet's look."""

from django_q import admin as q_admin
from django_q.models import Failure, OrmQ, Schedule, Success

from admin_site.admin.base import CorridorModelAdmin, reregister


class ScheduleAdmin(q_admin.ScheduleAdmin, CorridorModelAdmin):
    pass


class SuccessAdmin(q_admin.TaskAdmin, CorridorModelAdmin):
    pass


class FailureAdmin(q_admin.FailAdmin, CorridorModelAdmin):
    pass


class QueueAdmin(q_admin.QueueAdmin, CorridorModelAdmin):
    pass


reregister(Schedule, ScheduleAdmin)
reregister(Success, SuccessAdmin)
reregister(Failure, FailureAdmin)
reregister(OrmQ, QueueAdmin)  # django-q2 lists the queue only with its ORM broker
