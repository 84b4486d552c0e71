"""Russian formats that differ from Django's; every other one is Django's (django/conf/locale/ru/formats.py).

A day and its month read with the month in the genitive: «7 декабря», not «7 Декабрь» (Django's "j F"). The
lists' date drill-down («Журнал изменений», the outbox, the consents, the calendar of days off) writes its days so.
"""

MONTH_DAY_FORMAT = "j E"
