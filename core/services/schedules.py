"""The django-q2 schedules the product needs. `schedules_setup` is idempotent: it creates what is missing and
puts back what an administrator changed by mistake, keyed by name — a daily job's hour too, when its setting
(NOTIFICATION_DIGEST_HOUR, HOUSEKEEPING_HOUR) changed; run it on every deploy."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone
from django_q.models import Schedule


@dataclass(frozen=True)
class Job:
    name: str
    func: str
    schedule_type: str
    minutes: int | None = None
    hour_setting: str = "NOTIFICATION_DIGEST_HOUR"  # a daily job's first run: this hour, Moscow time


def jobs() -> list[Job]:
    return [
        Job("Отправка писем из очереди", "core.tasks.outbox_flush", Schedule.MINUTES, 1),
        Job("Отправка событий по вебхукам", "core.tasks.webhook_flush", Schedule.MINUTES, 1),
        Job("Контроль сроков: предупреждения и просрочки", "core.tasks.deadline_sweep", Schedule.MINUTES, 15),
        Job("Ежедневная сводка руководителям", "core.tasks.head_digest", Schedule.DAILY),
        Job("Уборка: удаление данных по срокам хранения", "core.tasks.housekeeping", Schedule.DAILY,
            hour_setting="HOUSEKEEPING_HOUR"),
    ]


def _next_daily_run(now: datetime, hour: int) -> datetime:
    local = timezone.localtime(now)
    run = timezone.make_aware(datetime.combine(local.date(), time(hour)))
    return run if run > now else run + timedelta(days=1)


def _local_hour(moment: datetime) -> tuple[int, int]:
    local = timezone.localtime(moment)
    return local.hour, local.minute


def schedules_setup(now: datetime | None = None) -> list[tuple[Schedule, bool]]:
    """Returns (schedule, created) for each job."""
    now = now or timezone.now()
    result = []
    for job in jobs():
        schedule = Schedule.objects.filter(name=job.name).order_by("pk").first()
        created = schedule is None
        daily = job.schedule_type == Schedule.DAILY
        hour = getattr(settings, job.hour_setting)
        if created:
            schedule = Schedule(name=job.name)
            schedule.next_run = _next_daily_run(now, hour) if daily else now
        elif daily and (schedule.next_run is None or _local_hour(schedule.next_run) != (hour, 0)):
            schedule.next_run = _next_daily_run(now, hour)  # the hour was changed in the settings since
        schedule.func, schedule.schedule_type, schedule.repeats = job.func, job.schedule_type, -1
        schedule.minutes = job.minutes
        schedule.save()
        Schedule.objects.filter(name=job.name).exclude(pk=schedule.pk).delete()  # duplicates from older runs
        result.append((schedule, created))
    return result
