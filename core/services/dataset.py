"""Volume data for benchmarks and demos (`manage.py generate_dataset`, docs/performance.md).

Organisations with valid ИНН/ОГРН, staff of the agency and of the ОИВ/ОМСУ/РСО with their roles, investor
companies with one investor each, projects across stages, districts and industries (roadmap, tasks, meetings,
history) and appeals across the classifier with statuses, deadlines, answers, ratings and history that agree
with each other.

Every row is written with bulk_create, past the doors (core.workflows), the notifications and the audit log —
on purpose: the rows have the shape of real ones, but nobody did anything, so nothing may be logged as done.
It is for volume only and never for production: `dataset_generate` refuses unless DEBUG is on or `force`.

Reproducible: every choice comes from random.Random(seed) and every moment is counted back from `today`
(midnight, Moscow; all generated history ends before it), so the same seed and day on the same database give
the same rows. Appeal and project numbers are taken above their counters, which are then moved past them.
"""

import itertools
import math
import random
import time as clock
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import reset_queries, transaction
from django.db.models import F, Max
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.calendar import deadline_for
from core.choices import (
    AppealChannel,
    AppealEventKind,
    AppealStatus,
    GovernorForum,
    MeetingFormat,
    MeetingStatus,
    OrganisationKind,
    ProjectEventKind,
    ProjectStage,
    RoadmapStatus,
    TaskStatus,
)
from core.models import (
    Appeal,
    AppealAnswer,
    AppealEvent,
    AppealType,
    ChecklistItem,
    Counter,
    District,
    Fact,
    Industry,
    LandPlot,
    Meeting,
    Organisation,
    Project,
    ProjectEvent,
    RequestPeriod,
    RoadmapItem,
    SupportMeasure,
    Task,
    User,
)
from core.region import current_region
from core.roles import Role
from core.search.index import search_index_paused, search_index_rebuild
from core.selectors.calendar import calendar_overrides
from core.services import reference
from core.services.deadlines import appeal_next_alert_at
from core.services.numbers import number_reserve_up_to
from core.services.roles import roles_sync
from core.validators import _INN10_WEIGHTS, _check_digit
from core.workflows.appeals import NUMBER_COUNTER as APPEAL_COUNTER
from core.workflows.projects import NUMBER_COUNTER as PROJECT_COUNTER

S, P = AppealStatus, ProjectStage
DAY = timedelta(days=1)
HISTORY_DAYS = 730  # appeals are spread over the last two years
BATCH = 5000
# the staff's password, so a demo can log in as anyone generated (the investors get none)
DATASET_PASSWORD = "dataset-koridor-2026"


class DatasetRefused(Exception):
    """Generating volume data here is not allowed (production settings, or the same seed already loaded)."""


@dataclass
class DatasetResult:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def dataset_domain(seed: int) -> str:
    """Every generated person's email ends with this: it marks the data set and keeps seeds apart."""
    return f"s{seed}.dataset.zk.example"


def dataset_director(*, seed: int) -> User | None:
    return User.objects.filter(email=f"director@{dataset_domain(seed)}").first()


def dataset_present(*, seed: int) -> bool:
    return User.objects.filter(email=f"director@{dataset_domain(seed)}").exists()


def dataset_generate(
    *,
    projects: int,
    appeals: int,
    seed: int = 1,
    today: date | None = None,
    force: bool = False,
    progress: Callable[[str], None] | None = None,
    batch_size: int = BATCH,
) -> DatasetResult:
    """Write the data set in one transaction; `progress` gets a Russian line after every batch."""
    if not (settings.DEBUG or force):
        raise DatasetRefused(
            "Генератор данных для нагрузочных тестов работает только при DEBUG=true (или с --force): "
            "он пишет данные в обход журналов и аудита и не предназначен для рабочей системы."
        )
    if projects < 0 or appeals < 0 or seed < 0:
        raise DatasetRefused("Количество проектов, обращений и seed не могут быть отрицательными.")
    if not 1 <= batch_size <= 10_000:  # a batch's ids go into one `IN (…)`: SQLite takes up to 32 766 values
        raise DatasetRefused("Размер пачки должен быть от 1 до 10000 строк.")
    if dataset_present(seed=seed):
        raise DatasetRefused(
            f"Набор данных с seed {seed} уже загружен в эту базу: укажите другой --seed или пересоздайте базу."
        )
    started = clock.monotonic()
    with transaction.atomic():
        generator = _Generator(seed=seed, today=today or timezone.localdate(), progress=progress or _quiet,
                               batch_size=batch_size)
        with search_index_paused():  # bulk rows pass by the signals anyway: the whole index once, at the end
            counts = generator.run(projects=projects, appeals=appeals)
        indexed = search_index_rebuild()
        (progress or _quiet)(f"Поисковый индекс: {sum(indexed.values())} записей")
    return DatasetResult(counts=counts, seconds=clock.monotonic() - started)


def _quiet(line: str) -> None:
    pass


def _batches(items: Sequence, size: int) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


# --- words ---------------------------------------------------------------------------------------------------
_MALE = ("Александр", "Алексей", "Андрей", "Антон", "Артём", "Борис", "Вадим", "Виктор", "Владимир", "Дмитрий",
         "Евгений", "Игорь", "Илья", "Кирилл", "Максим", "Михаил", "Николай", "Олег", "Павел", "Роман", "Сергей",
         "Станислав", "Юрий")
_FEMALE = ("Анна", "Валентина", "Виктория", "Галина", "Дарья", "Екатерина", "Елена", "Ирина", "Ксения",
           "Людмила", "Марина", "Мария", "Наталья", "Ольга", "Светлана", "Татьяна", "Юлия")
_FATHERS = ("Александров", "Алексеев", "Андреев", "Борисов", "Викторов", "Владимиров", "Дмитриев", "Евгеньев",
            "Иванов", "Игорев", "Михайлов", "Николаев", "Олегов", "Павлов", "Петров", "Сергеев", "Юрьев")
_SURNAMES = ("Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов", "Новиков",
             "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров", "Павлов", "Козлов",
             "Степанов", "Николаев", "Орлов", "Андреев", "Макаров", "Никитин", "Захаров", "Зайцев", "Соловьёв",
             "Борисов", "Яковлев", "Григорьев", "Романов", "Воробьёв", "Сергеев", "Фролов", "Белов", "Комаров",
             "Ильин", "Гусев", "Титов", "Кудрявцев", "Баранов", "Куликов", "Беляев", "Тарасов", "Жуков")
# no place names: the generator serves every region pack (docs/adr/0007-region-pack.md)
_COMPANY_ROOTS = ("Север", "Исток", "Альфа", "Горизонт", "Орбита", "Старт", "Зенит", "Магистраль", "Ресурс",
                  "Импульс", "Каскад", "Простор", "Альянс", "Эталон", "Спектр", "Опора", "Прогресс", "Меридиан",
                  "Фарватер", "Гранит", "Дельта", "Вектор", "Аврора", "Кедр", "Сосна", "Берег", "Полюс", "Рубеж",
                  "Норд")
_COMPANY_TRADES = ("Агро", "Пром", "Лес", "Строй", "Логистик", "Энерго", "Транс", "Хим", "Фарм", "Маш", "Металл",
                   "Терминал", "Девелопмент", "Продукт", "Инвест", "Тех", "Порт", "Бетон", "Мебель", "Пак")
_COMPANY_FORMS = (("ООО", "Общество с ограниченной ответственностью", 7), ("АО", "Акционерное общество", 2),
                  ("ПАО", "Публичное акционерное общество", 1))

# executors of appeals by classifier category (the first two digits of a fact's code)
_OIV = (
    ("economy", "Комитет экономического развития и инвестиционной деятельности", "Комитет экономики"),
    ("building", "Комитет государственного строительного надзора и экспертизы", "Комитет стройнадзора"),
    ("roads", "Комитет по дорожному хозяйству", "Комитет по дорогам"),
    ("energy", "Комитет по топливно-энергетическому комплексу", "Комитет по ТЭК"),
    ("nature", "Комитет по природным ресурсам", "Комитет по природным ресурсам"),
    ("agro", "Комитет по агропромышленному и рыбохозяйственному комплексу", "Комитет по АПК"),
    ("architecture", "Комитет градостроительной политики", "Комитет градполитики"),
    ("property", "Комитет по управлению государственным имуществом", "Комитет по имуществу"),
    ("labour", "Комитет по труду и занятости населения", "Комитет по труду"),
)
_RSO = (
    ("power", "Акционерное общество «Областная электросетевая компания»", "АО «Облэлектросеть»"),
    ("water", "Государственное унитарное предприятие «Водоканал области»", "ГУП «Водоканал области»"),
    ("gas", "Акционерное общество «Газораспределение области»", "АО «Облгаз»"),
)
_FEDERAL = (("cadastre", "Управление Федеральной службы государственной регистрации, кадастра и картографии",
             "Управление Росреестра"),)
_EXECUTORS_BY_CATEGORY = {
    "01": ("economy", "economy", "agro"),
    "02": ("labour",),
    "03": ("building", "architecture", "omsu"),
    "04": ("power", "energy", "gas", "water"),
    "05": ("omsu", "omsu", "property", "cadastre"),
    "06": ("roads",),
    "07": ("nature",),
}
_SUBJECTS = {
    "01": ("Статус регионального инвестиционного проекта", "Льготный заём на модернизацию производства",
           "Меры поддержки для нового производства", "Встреча с профильным комитетом по проекту",
           "Налоговые льготы для участника РИП"),
    "02": ("Подбор рабочих для нового цеха", "Поиск инженеров-технологов", "Целевое обучение персонала"),
    "03": ("Разрешение на строительство склада", "Ввод в эксплуатацию производственного корпуса",
           "Срок выдачи разрешения на строительство", "Экспертиза проектной документации"),
    "04": ("Технологическое присоединение к электросетям", "Технические условия на подключение к газу",
           "Подключение к водоснабжению и водоотведению", "Увеличение мощности присоединения"),
    "05": ("Свободные участки под производство", "Перевод земель в категорию промышленности",
           "Аренда земельного участка без торгов", "Оформление прав на участок под проект"),
    "06": ("Согласование съезда с региональной дороги", "Технические условия на примыкание к дороге",
           "Устройство остановки общественного транспорта у предприятия"),
    "07": ("Комплексное экологическое разрешение", "Оценка воздействия на окружающую среду",
           "Разрешение на выбросы загрязняющих веществ"),
}
_DESCRIPTIONS = (
    "Просим разъяснить порядок действий и необходимые документы.",
    "Заявление подано более месяца назад, ответа пока нет. Просим оказать содействие.",
    "Проект находится на стадии проектирования, от решения зависит срок начала строительства.",
    "Получен отказ, с которым компания не согласна. Просим организовать встречу с профильным органом.",
    "Прилагаем сведения о проекте. Просим сообщить сроки рассмотрения.",
)
_ANSWERS = (
    "Вопрос рассмотрен профильным органом, порядок действий направлен инвестору.",
    "Организована ВКС с профильным комитетом, разногласия урегулированы.",
    "Заявление рассмотрено, решение будет принято в установленный срок; контроль сохраняется.",
    "Направлен перечень подходящих земельных участков и контакты ответственных лиц.",
    "Сетевая организация подтвердила возможность подключения и сроки выдачи технических условий.",
)
REWORK_REASON = "Ответ не раскрывает сроки."
_REASONS = ("Обращение не относится к компетенции агентства.", "Повторное обращение по тому же вопросу.",
            "Не указаны сведения, необходимые для рассмотрения.")
_PROJECT_KINDS = {
    "agriculture": ("Молочный комплекс", "Тепличный комплекс", "Птицеводческая ферма"),
    "food": ("Завод по переработке молока", "Хлебозавод", "Производство мясной продукции"),
    "timber": ("Деревообрабатывающий комбинат", "Производство пеллет", "Завод клеёного бруса"),
    "chemistry": ("Завод лакокрасочных материалов", "Производство полимерной упаковки"),
    "pharma": ("Фармацевтический завод", "Производство медицинских изделий"),
    "metallurgy": ("Завод металлоконструкций", "Литейное производство"),
    "machinery": ("Завод дорожной техники", "Производство электрооборудования"),
    "construction_materials": ("Завод газобетона", "Производство железобетонных изделий", "Кирпичный завод"),
    "energy": ("Солнечная электростанция", "Газопоршневая электростанция", "Котельная на биотопливе"),
    "logistics": ("Логистический комплекс", "Складской терминал", "Распределительный центр"),
    "ports": ("Перегрузочный терминал", "Причальный комплекс"),
    "industrial_parks": ("Индустриальный парк", "Технопарк"),
    "tourism": ("Гостиничный комплекс", "Туристско-рекреационный кластер", "Загородный курорт"),
    "retail": ("Торговый центр", "Многофункциональный комплекс"),
    "it": ("Центр обработки данных", "IT-кампус"),
}
_ROADMAP = ("Подбор земельного участка", "Оформление прав на земельный участок", "Получение ГПЗУ",
            "Технические условия на подключение", "Разработка проектной документации",
            "Экспертиза проектной документации", "Получение разрешения на строительство", "Строительство",
            "Технологическое присоединение к сетям", "Получение разрешения на ввод в эксплуатацию")
_TASKS = ("Подготовить справку по проекту", "Запросить позицию администрации района", "Согласовать дату ВКС",
          "Проверить сроки выдачи ТУ", "Обновить паспорт проекта", "Подготовить письмо в комитет")
_MEETINGS = ("Рабочая встреча по проекту", "ВКС с администрацией района", "Совещание по подключению к сетям",
             "Выезд на площадку")
# the move that brings a project to its stage, and the stage it comes from
_LAST_MOVE = {
    P.REVIEW: ("start_review", P.APPLICATION), P.ACCEPTED: ("accept", P.REVIEW), P.DECLINED: ("decline", P.REVIEW),
    P.PRE_INVESTMENT: ("start_pre_investment", P.ACCEPTED), P.INVESTMENT: ("start_investment", P.PRE_INVESTMENT),
    P.OPERATIONAL: ("start_operation", P.INVESTMENT), P.COMPLETED: ("complete", P.OPERATIONAL),
}
_STAGE_WEIGHTS = {P.APPLICATION: 6, P.REVIEW: 6, P.ACCEPTED: 10, P.DECLINED: 5, P.PRE_INVESTMENT: 25,
                  P.INVESTMENT: 22, P.OPERATIONAL: 12, P.COMPLETED: 6, P.SUSPENDED: 5, P.WITHDRAWN: 3}
_WORKED_ON = {P.ACCEPTED, P.PRE_INVESTMENT, P.INVESTMENT, P.OPERATIONAL, P.COMPLETED, P.SUSPENDED}
_OUTCOME_VALUES, _OUTCOME_WEIGHTS = (S.RESOLVED, S.NOT_RESOLVED, S.POSTPONED, S.DECLINED), (62, 74, 84, 100)
_GOOD_RATINGS, _POOR_RATINGS = (2, 5, 15, 45, 100), (25, 50, 75, 90, 100)  # cumulative weights of 1…5


def _inn(body: str) -> str:
    return body + str(_check_digit(body, _INN10_WEIGHTS))


def _ogrn(body: str) -> str:
    return body + str(int(body) % 11 % 10)


@dataclass
class _Person:
    user: User
    roles: tuple[Role, ...]


class _Life:
    """One appeal being generated: its field values, its status and the history lines it will get.

    The history keeps the milestones (filed, assigned or rejected, redirected, answered, returned for rework,
    closed, rated) and the move into the current status; the internal steps between them (taken into work,
    sent for approval) are written only when they are where the appeal stands now. That halves the rows.
    """

    def __init__(self, created: datetime, company: Organisation, values: dict) -> None:
        self.when, self.company, self.values, self.status = created, company, values, ""
        self.events: list[tuple] = []
        self.answers: list[dict] = []  # the answer rounds (AppealAnswer), as the approve door writes them

    def answer(self, text: str, author: User, head: User) -> dict:
        """An approved answer: its round, in the history and among the rounds (which the dashboard and the
        investor's page read)."""
        self.answers.append({"number": len(self.answers) + 1, "text": text, "author_id": author.pk,
                             "approved_by_id": head.pk, "approved_at": self.when})
        self.step(head, S.ANSWERED, "approve", text, data={"round": len(self.answers)})
        return self.answers[-1]

    def wait(self, days: float, end: datetime) -> bool:
        """Let `days` pass; False if that runs past the end of the generated history."""
        self.when += timedelta(days=days)
        return self.when < end

    def step(self, actor: User, status: str, name: str, text: str = "", *, kind: str = AppealEventKind.TRANSITION,
             public: bool = True, data: dict | None = None, record: bool = True) -> None:
        if record:
            self.events.append((kind, name, actor.pk, self.when, self.status, status, text, public, data or {}))
        self.status = status


# History lines are built positionally, three times faster than by keywords (100k appeals get ~450k lines).
_EVENT_FIELDS = ["id", "appeal_id", "kind", "name", "actor_id", "created_at", "from_status", "to_status", "text",
                 "is_public", "data"]
assert [f.attname for f in AppealEvent._meta.concrete_fields] == _EVENT_FIELDS


class _Generator:
    def __init__(self, *, seed: int, today: date, progress: Callable[[str], None], batch_size: int) -> None:
        self.rng = random.Random(seed)
        self.seed, self.today, self.progress, self.batch = seed, today, progress, batch_size
        self.end = timezone.make_aware(datetime.combine(today, time()))  # all history ends before this moment
        self.domain = dataset_domain(seed)
        self.cadastral = current_region().cadastral_district  # the region's code: cadastral numbers, ИНН, КПП
        self.counts: dict[str, int] = {}
        self.deadlines: dict[tuple[int, date], date] = {}

    def run(self, *, projects: int, appeals: int) -> dict[str, int]:
        self.reference()
        self.organisations(companies=max(10, projects // 3, appeals // 100))
        self.people(managers=max(5, min(60, (projects + appeals // 20) // 100)))
        self.projects(projects)
        self.appeals(appeals)
        return self.counts

    # --- reference -------------------------------------------------------------------------------------------
    def reference(self) -> None:
        """The reference data the rows point to, loaded as seed_reference would if a table is still empty."""
        self.groups = roles_sync()
        loaders = ((District, reference.districts_load), (AppealType, reference.appeal_types_load),
                   (Fact, reference.classifier_load), (Industry, reference.industries_load),
                   (ChecklistItem, reference.checklist_load), (SupportMeasure, reference.support_measures_load),
                   (RequestPeriod, reference.request_periods_load))
        for model, load in loaders:
            if not model.objects.exists():
                load()
        self.districts = list(District.objects.filter(is_active=True).order_by("code"))
        self.industries = list(Industry.objects.order_by("code"))
        self.facts = list(
            Fact.objects.filter(is_active=True).select_related("appeal_type", "subcategory").order_by("code")
        )
        if not self.districts or not self.facts:
            raise DatasetRefused("Нет районов или фактов классификатора: загрузите справочники (seed_reference).")
        self.overrides = calendar_overrides()

    # --- organisations ---------------------------------------------------------------------------------------
    def organisations(self, *, companies: int) -> None:
        rng = self.rng
        taken_inn = set(Organisation.objects.exclude(inn="").values_list("inn", flat=True))
        taken_ogrn = set(Organisation.objects.exclude(ogrn="").values_list("ogrn", flat=True))
        participants = 1 + len(_OIV) + len(_RSO) + len(_FEDERAL) + len(self.districts)
        serials = iter(rng.sample(range(10**7), participants + companies + 1000))
        region = self.cadastral

        def numbers() -> dict:
            while True:
                serial = next(serials)
                inn, ogrn = _inn(f"{region}{serial:07d}"), _ogrn(f"1{rng.randrange(2, 25):02d}{region}{serial:07d}")
                if inn not in taken_inn and ogrn not in taken_ogrn:
                    kpp = f"{region}{rng.randrange(1, 30):02d}01001"
                    return {"inn": inn, "ogrn": ogrn, "kpp": kpp}

        emails = itertools.count(1)

        def org(kind: str, full: str, short: str, **extra) -> Organisation:
            return Organisation(kind=kind, full_name=full, short_name=short, **numbers(),
                                email=f"org{next(emails)}@{self.domain}", phone=self.phone(), **extra)

        self.agency = org(OrganisationKind.AGENCY, current_region().agency_name, current_region().agency_short_name,
                          address="г. Демоград, ул. Инвестиционная, д. 1")
        self.by_key: dict[str, Organisation] = {}
        for kind, rows in ((OrganisationKind.OIV, _OIV), (OrganisationKind.RSO, _RSO),
                           (OrganisationKind.FEDERAL, _FEDERAL)):
            for key, full, short in rows:
                self.by_key[key] = org(kind, full, short)
        self.omsu = {
            d.pk: org(OrganisationKind.OMSU, f"Администрация муниципального образования «{d.name}»",
                      f"Администрация: {d.name}", district=d)
            for d in self.districts
        }
        names: set[str] = set()
        self.companies = []
        for _ in range(companies):
            form, form_full, _weight = rng.choices(_COMPANY_FORMS, weights=[f[2] for f in _COMPANY_FORMS])[0]
            name = rng.choice(_COMPANY_ROOTS) + "-" + rng.choice(_COMPANY_TRADES)
            while name in names:
                name = f"{name.split(' ')[0]} {rng.randrange(2, 100)}"
            names.add(name)
            district = rng.choice(self.districts)
            self.companies.append(org(OrganisationKind.INVESTOR, f"{form_full} «{name}»", f"{form} «{name}»",
                                      district=district, address=f"{district.centre or district.name}, "
                                      f"промзона, участок {rng.randrange(1, 300)}"))
        rows = [self.agency, *self.by_key.values(), *self.omsu.values(), *self.companies]
        Organisation.objects.bulk_create(rows, batch_size=self.batch)
        self.counts["organisations"] = len(rows)
        self.progress(f"Организации: {len(rows)}")

    def phone(self) -> str:
        rng = self.rng
        return f"+7 9{rng.randrange(10, 100)} {rng.randrange(1000):03d}-{rng.randrange(100):02d}-" \
               f"{rng.randrange(100):02d}"

    # --- people ----------------------------------------------------------------------------------------------
    def people(self, *, managers: int) -> None:
        password = make_password(DATASET_PASSWORD)
        self.staff: list[_Person] = []

        def add(organisation: Organisation, role: Role, local: str, position: str) -> User:
            user = self.person(organisation, f"{local}@{self.domain}", position, password, staff=True)
            self.staff.append(_Person(user, (role,)))
            return user

        self.director = add(self.agency, Role.DIRECTOR, "director", "Генеральный директор")
        add(self.agency, Role.ADMINISTRATOR, "administrator", "Администратор системы")
        add(self.agency, Role.DATA_CLERK, "clerk", "Оператор данных")
        self.heads = [add(self.agency, Role.HEAD, f"head.{i}", "Начальник отдела")
                      for i in range(1, max(2, managers // 10) + 1)]
        self.coordinators = [add(self.agency, Role.COORDINATOR, f"coordinator.{i}", "Координатор")
                             for i in range(1, max(2, managers // 5) + 1)]
        self.managers = [add(self.agency, Role.MANAGER, f"manager.{i}", "Менеджер проектов")
                         for i in range(1, managers + 1)]
        # each participant: a head who approves answers and executors who write them
        self.org_heads: dict[int, User] = {}
        self.org_executors: dict[int, list[User]] = {}
        self.commissioners: dict[int, User] = {}
        for number, org in enumerate([*self.by_key.values(), *self.omsu.values()], start=1):
            self.org_heads[id(org)] = add(org, Role.HEAD, f"org{number}.head", "Руководитель")
            self.org_executors[id(org)] = [
                add(org, Role.EXECUTOR, f"org{number}.executor.{i}", "Главный специалист") for i in (1, 2)
            ]
            if org.kind == OrganisationKind.OMSU:
                self.commissioners[org.district_id] = add(
                    org, Role.COMMISSIONER, f"org{number}.commissioner", "Инвестиционный уполномоченный района"
                )
        self.investors: dict[int, User] = {}
        unusable = make_password(None)
        for number, company in enumerate(self.companies, start=1):
            company.personal_manager = self.rng.choice(self.managers)
            company.district_commissioner = self.commissioners.get(company.district_id)
            self.investors[id(company)] = self.person(company, f"investor.{number}@{self.domain}",
                                                      "Генеральный директор", unusable, staff=False)
        users = [p.user for p in self.staff] + list(self.investors.values())
        User.objects.bulk_create(users, batch_size=self.batch)
        Organisation.objects.bulk_update(self.companies, ["personal_manager", "district_commissioner"],
                                         batch_size=self.batch)
        memberships = [(p.user, role) for p in self.staff for role in p.roles]
        memberships += [(user, Role.INVESTOR) for user in self.investors.values()]
        User.groups.through.objects.bulk_create(
            [User.groups.through(user_id=user.pk, group_id=self.groups[role].pk) for user, role in memberships],
            batch_size=self.batch,
        )
        self.counts["users"] = len(users)
        self.progress(f"Пользователи: {len(users)}")

    def person(self, organisation: Organisation, email: str, position: str, password: str, *, staff: bool) -> User:
        rng = self.rng
        male = rng.random() < 0.55
        surname, father = rng.choice(_SURNAMES), rng.choice(_FATHERS)
        joined = self.end - timedelta(days=HISTORY_DAYS + rng.randrange(365))
        return User(
            email=email, password=password, organisation=organisation, position=position, phone=self.phone(),
            last_name=surname if male else surname + "а",
            first_name=rng.choice(_MALE if male else _FEMALE),
            middle_name=father + ("ич" if male else "на"),
            is_staff=staff, date_joined=joined, email_confirmed_at=joined, membership_confirmed_at=joined,
        )

    # --- projects --------------------------------------------------------------------------------------------
    def projects(self, count: int) -> None:
        self.company_projects: dict[int, list[Project]] = {}
        base = self.counter_base(PROJECT_COUNTER, 0)
        stages, weights = list(_STAGE_WEIGHTS), list(_STAGE_WEIGHTS.values())
        done = 0
        for numbers in _batches(range(base + 1, base + count + 1), self.batch):
            rows = [self.project(number, self.rng.choices(stages, weights)[0]) for number in numbers]
            Project.objects.bulk_create(rows)
            Project.objects.filter(pk__in=[p.pk for p in rows]).update(updated_at=F("stage_changed_at"))
            self.project_details(rows)
            done += len(rows)
            self.progress(f"Проекты: {done} / {count}")
            reset_queries()  # with DEBUG on, Django keeps the text of every INSERT: hundreds of megabytes
        if count:
            number_reserve_up_to(name=PROJECT_COUNTER, value=base + count)
        self.counts["projects"] = count

    def project(self, number: int, stage: str) -> Project:
        rng = self.rng
        company = rng.choice(self.companies)
        district = company.district if rng.random() < 0.7 else rng.choice(self.districts)
        industry = rng.choice(self.industries)
        fresh = stage in {P.APPLICATION, P.REVIEW}
        submitted = self.moment(self.today - timedelta(days=rng.randrange(1, 90) if fresh else rng.randrange(60, 2000)))
        paused_from = ""
        if stage in {P.SUSPENDED, P.WITHDRAWN}:
            paused_from = rng.choice([P.REVIEW, P.ACCEPTED, P.PRE_INVESTMENT, P.INVESTMENT])
        reached = paused_from or stage
        accepted = None
        if reached in _WORKED_ON:
            accepted = timezone.localdate(submitted) + timedelta(days=rng.randrange(10, 60))
            accepted = min(accepted, self.today - DAY)
        changed = submitted + (self.end - submitted) * rng.uniform(0.2, 0.95) if stage != P.APPLICATION else submitted
        volume = Decimal(min(max(round(math.exp(rng.gauss(math.log(6e8), 1.3)), -5), 5e6), 9e10)).quantize(
            Decimal("1.00")
        )
        jobs = max(5, min(3000, int(float(volume) / 5e6 * rng.uniform(0.3, 1.5))))
        worked = accepted is not None
        kinds = _PROJECT_KINDS.get(industry.code, ("Производственный комплекс",))
        project = Project(
            registry_number=f"ИП-{timezone.localdate(submitted):%Y}-{number:05d}",
            name=f"{rng.choice(kinds)} «{rng.choice(_COMPANY_ROOTS)}»",
            investor=company, district=district, industry=industry,
            description=f"Создание нового производства: {industry.name.lower()}.",
            investment_volume=volume, jobs=jobs,
            electricity_kw=Decimal(rng.randrange(100, 20000)) if rng.random() < 0.7 else None,
            gas_m3_per_hour=Decimal(rng.randrange(50, 3000)) if rng.random() < 0.4 else None,
            water_m3_per_day=Decimal(rng.randrange(5, 1500)) if rng.random() < 0.5 else None,
            submitted_at=submitted, accepted_at=accepted, stage=stage, paused_from=paused_from,
            stage_changed_at=changed,
            planned_start=accepted + timedelta(days=rng.randrange(90, 540)) if worked else None,
            planned_launch=accepted + timedelta(days=rng.randrange(600, 1800)) if worked else None,
            personal_manager=company.personal_manager if rng.random() < 0.7 else rng.choice(self.managers),
            district_commissioner=self.commissioners.get(district.pk), director=self.director,
        )
        if worked and rng.random() < 0.1:
            project.governor_agreement_date = accepted + timedelta(days=rng.randrange(30, 300))
            project.governor_agreement_forum = rng.choice(GovernorForum.values)
        self.company_projects.setdefault(id(company), []).append(project)
        return project

    def project_details(self, projects: list[Project]) -> None:
        events, plots, roadmap, tasks, meetings = [], [], [], [], []
        for project in projects:
            events.extend(self.project_events(project))
            if project.accepted_at is not None:
                plots.extend(self.land_plots(project))
                roadmap.extend(self.roadmap(project))
                tasks.extend(self.tasks(project))
                meetings.extend(self.meetings(project))
        ProjectEvent.objects.bulk_create(events)
        LandPlot.objects.bulk_create(plots)
        RoadmapItem.objects.bulk_create(roadmap)
        Task.objects.bulk_create(tasks)
        Meeting.objects.bulk_create(meetings)
        through = Meeting.participants.through
        through.objects.bulk_create(
            [through(meeting_id=m.pk, user_id=m.created_by_id) for m in meetings]
            + [through(meeting_id=m.pk, user_id=m.project.district_commissioner_id) for m in meetings
               if m.project.district_commissioner_id and m.format == MeetingFormat.VIDEO]
        )
        for name, rows in (("project_events", events), ("land_plots", plots), ("roadmap_items", roadmap),
                           ("tasks", tasks), ("meetings", meetings)):
            self.counts[name] = self.counts.get(name, 0) + len(rows)

    def project_events(self, project: Project) -> list[ProjectEvent]:
        investor = self.investors[id(project.investor)]
        events = [ProjectEvent(project=project, kind=ProjectEventKind.STAGE, name="apply", actor=investor,
                               created_at=project.submitted_at, to_stage=P.APPLICATION)]
        if project.stage in _LAST_MOVE:
            name, before = _LAST_MOVE[project.stage]
        elif project.stage == P.SUSPENDED:
            name, before = "suspend", project.paused_from
        elif project.stage == P.WITHDRAWN:
            name, before = "withdraw", project.paused_from
        else:
            return events
        actor = investor if name == "withdraw" else project.personal_manager
        events.append(ProjectEvent(project=project, kind=ProjectEventKind.STAGE, name=name, actor=actor,
                                   created_at=project.stage_changed_at, from_stage=before, to_stage=project.stage))
        return events

    def land_plots(self, project: Project) -> list[LandPlot]:
        rng = self.rng
        count = rng.choices((0, 1, 2), (15, 70, 15))[0]
        district = int(project.district.code[2:5]) % 100 if project.district_id else 1
        prefix = f"{self.cadastral}:{district:02d}"
        return [
            LandPlot(project=project, cadastral_number=f"{prefix}:{rng.randrange(10**7):07d}:{n}",
                     area_m2=Decimal(rng.randrange(2_000, 500_000)), rights=rng.choice(("Аренда", "Собственность")),
                     address=f"{project.district.name if project.district_id else 'Область'}, участок {n}")
            for n in range(1, count + 1)
        ]

    def roadmap(self, project: Project) -> list[RoadmapItem]:
        rng, items = self.rng, []
        start = project.accepted_at
        steps = sorted(rng.sample(range(len(_ROADMAP)), rng.randrange(3, 8)))
        for order, step in enumerate(steps, start=1):
            planned_start = start
            baseline_end = start + timedelta(days=rng.randrange(20, 200))
            planned_end = baseline_end + timedelta(days=rng.choice((0, 0, 0, 30, 60)))  # some plans moved
            if planned_end < self.today:
                status = RoadmapStatus.DONE if rng.random() < 0.85 else RoadmapStatus.IN_PROGRESS
            else:
                status = RoadmapStatus.IN_PROGRESS if planned_start <= self.today else RoadmapStatus.PLANNED
            done = status == RoadmapStatus.DONE
            actual_end = min(planned_end + timedelta(days=rng.randrange(-10, 20)), self.today - DAY) if done else None
            organisation = self.omsu[project.district_id] if project.district_id and rng.random() < 0.3 else None
            items.append(RoadmapItem(
                project=project, title=_ROADMAP[step], order=order,
                planned_start=planned_start, planned_end=planned_end, baseline_start=planned_start,
                baseline_end=baseline_end, actual_end=actual_end, status=status,
                responsible_user=None if organisation else project.personal_manager,
                responsible_organisation=organisation,
            ))
            start = planned_end
        return items

    def tasks(self, project: Project) -> list[Task]:
        rng, tasks = self.rng, []
        for _ in range(rng.randrange(0, 4)):
            due = self.today + timedelta(days=rng.randrange(-120, 60))
            created = self.moment(min(due, self.today - DAY) - timedelta(days=rng.randrange(3, 30)))
            status = TaskStatus.NEW if due >= self.today else rng.choices(
                [TaskStatus.DONE, TaskStatus.CANCELLED, TaskStatus.IN_WORK, TaskStatus.NEW], [75, 5, 12, 8]
            )[0]
            completed = None
            if status in {TaskStatus.DONE, TaskStatus.CANCELLED}:
                completed = min(created + timedelta(days=rng.randrange(1, 30)), self.end - timedelta(minutes=1))
            tasks.append(Task(
                project=project, title=rng.choice(_TASKS), author=project.personal_manager,
                assignee=rng.choice([project.personal_manager, rng.choice(self.managers)]),
                due_date=due, status=status, created_at=created, completed_at=completed,
                result="Выполнено." if status == TaskStatus.DONE else "",
            ))
        return tasks

    def meetings(self, project: Project) -> list[Meeting]:
        rng, meetings = self.rng, []
        for _ in range(rng.randrange(0, 3)):
            day = self.today + timedelta(days=rng.randrange(-365, 30))
            starts = timezone.make_aware(datetime.combine(day, time(rng.randrange(9, 18), rng.choice((0, 30)))))
            if day >= self.today:
                status = MeetingStatus.PLANNED
            else:
                status = MeetingStatus.HELD if rng.random() < 0.9 else MeetingStatus.CANCELLED
            video = rng.random() < 0.6
            meetings.append(Meeting(
                project=project, title=rng.choice(_MEETINGS), starts_at=starts, status=status,
                format=MeetingFormat.VIDEO if video else MeetingFormat.IN_PERSON,
                link=f"https://vks.zk.example/{rng.randrange(10**8)}" if video else "",
                place="" if video else "Агентство, переговорная 3",
                minutes="Договорённости зафиксированы." if status == MeetingStatus.HELD else "",
                uid=uuid.UUID(int=rng.getrandbits(128), version=4), created_by=project.personal_manager,
            ))
        return meetings

    # --- appeals ---------------------------------------------------------------------------------------------
    def appeals(self, count: int) -> None:
        base = self.counter_base(APPEAL_COUNTER, Appeal.objects.aggregate(top=Max("number"))["top"] or 0)
        events = done = answers = 0
        for numbers in _batches(range(base + 1, base + count + 1), self.batch):
            lives = [self.appeal(number) for number in numbers]
            appeals = [Appeal(**life.values, status=life.status) for life in lives]
            for appeal in appeals:  # no step given yet: the deadline sweep's first moment (a few µs a row)
                appeal.next_alert_at = appeal_next_alert_at(appeal)
            Appeal.objects.bulk_create(appeals)
            rows = [AppealEvent(None, appeal.pk, *line) for appeal, life in zip(appeals, lives, strict=True)
                    for line in life.events]
            AppealEvent.objects.bulk_create(rows)
            rounds = [AppealAnswer(appeal_id=appeal.pk, **row) for appeal, life in zip(appeals, lives, strict=True)
                      for row in life.answers]
            AppealAnswer.objects.bulk_create(rounds)
            Appeal.objects.filter(pk__in=[a.pk for a in appeals]).update(
                updated_at=Coalesce("closed_at", "answered_at", "created_at")
            )
            done, events, answers = done + len(appeals), events + len(rows), answers + len(rounds)
            self.progress(f"Обращения: {done} / {count}")
            reset_queries()
        if count:
            number_reserve_up_to(name=APPEAL_COUNTER, value=base + count)
        self.counts["appeals"], self.counts["appeal_events"] = count, events
        self.counts["appeal_answers"] = answers

    def appeal(self, number: int) -> _Life:
        rng = self.rng
        company = rng.choice(self.companies)
        applicant = self.investors[id(company)]
        fact = rng.choice(self.facts)
        day = self.today - timedelta(days=int(HISTORY_DAYS * rng.random() ** 1.4) + 1)  # more appeals lately
        created = self.moment(day)
        deadline = self.deadline(fact, day)
        own_projects = self.company_projects.get(id(company))
        to_director = rng.random() < 0.02
        life = _Life(created, company, {
            "number": number, "applicant_id": applicant.pk, "organisation_id": company.pk,
            "organisation_name": company.full_name, "organisation_inn": company.inn,
            "organisation_ogrn": company.ogrn, "fact_id": fact.pk, "appeal_type_id": fact.appeal_type_id,
            "project_id": rng.choice(own_projects).pk if own_projects and rng.random() < 0.35 else None,
            "subject": rng.choice(_SUBJECTS.get(fact.code[:2], (fact.name[:300],))),
            "description": rng.choice(_DESCRIPTIONS), "to_director": to_director, "created_at": created,
            "received_at": created, "channel": AppealChannel.PORTAL, "deadline": deadline,
            "head_id": self.director.pk if to_director else None,
            "executor_organisation_id": self.agency.pk if to_director else None,  # as appeal_submit does
        })
        life.step(applicant, S.MODERATION, "submit", f"Срок ответа — до {deadline:%d.%m.%Y}",
                  kind=AppealEventKind.SUBMITTED)
        lead = self.director if to_director else company.personal_manager
        if not to_director:
            life.values["coordinator_id"] = lead.pk
        self.appeal_work(life, fact, lead)
        if life.status in {S.ANSWERED, *S.outcomes()}:
            self.appeal_close(life, lead)
        return life

    def appeal_work(self, life: _Life, fact: Fact, lead: User) -> None:
        """Move the appeal along its way as far as the time since filing allows."""
        rng, v = self.rng, life.values
        if not life.wait(rng.uniform(0.05, 1.5), self.end):
            return  # still on moderation
        if rng.random() < 0.04:
            v["rejection_reason"], v["closed_at"] = rng.choice(_REASONS), life.when
            life.step(lead, S.REJECTED, "reject", v["rejection_reason"])
            return
        manager = lead if lead is not self.director and rng.random() < 0.6 else rng.choice(self.managers)
        head = self.director if v["to_director"] else rng.choice(self.heads)
        life.step(lead, S.ASSIGNED, "assign",
                  data={"executor_organisation": self.agency.short_name, "manager": manager.full_name})
        executor, body = manager, self.agency
        handed_over = not v["to_director"] and rng.random() < 0.45  # to the body that decides
        if handed_over and life.wait(rng.uniform(0.1, 1.0), self.end):
            key = rng.choice(_EXECUTORS_BY_CATEGORY.get(fact.code[:2], ("economy",)))
            body = self.omsu[life.company.district_id] if key == "omsu" else self.by_key[key]
            head, executor = self.org_heads[id(body)], rng.choice(self.org_executors[id(body)])
            life.step(manager, S.REDIRECTED, "redirect", "Просим рассмотреть по компетенции.",
                      data={"executor_organisation": body.short_name})
        v.update(manager_id=executor.pk, head_id=head.pk, executor_organisation_id=body.pk)
        if life.when >= self.end or not life.wait(rng.uniform(0.05, 1.5), self.end):
            return  # the hand-over ran out of time, or not yet taken into work
        answered = max(v["created_at"] + timedelta(days=fact.appeal_type.period_days * rng.uniform(0.2, 1.15)),
                       life.when + 0.2 * DAY)
        submitted = answered - (answered - life.when) * rng.uniform(0.05, 0.3)
        clarify = submitted >= self.end and rng.random() < 0.12
        life.step(executor, S.IN_WORK, "take_into_work", record=submitted >= self.end and not clarify)
        if clarify:
            life.when += (self.end - life.when) * rng.uniform(0.1, 0.9)
            life.step(executor, S.CLARIFICATION, "request_clarification", "Уточните адрес объекта.")
        if submitted >= self.end:
            return
        answer = rng.choice(_ANSWERS)
        reworks = rng.choices((0, 1, 2), (88, 10, 2))[0] if answered + 3 * DAY < self.end else 0
        gap = (submitted - life.when) / (2 * reworks + 1)
        for _ in range(reworks):  # the investor sent the answer back; the executor answered again
            life.step(executor, S.APPROVAL, "submit_for_approval", record=False)
            life.when += gap
            sent_back = life.answer(answer, executor, head)
            life.when += gap
            sent_back.update(rework_reason=REWORK_REASON, sent_back_at=life.when)
            life.step(self.investors[id(life.company)], S.IN_WORK, "send_back_for_rework", REWORK_REASON,
                      data={"round": sent_back["number"]})
        life.when = submitted
        v.update(answer_text=answer, answered_by_id=executor.pk, rework_count=reworks)
        life.step(executor, S.APPROVAL, "submit_for_approval", answer, public=False, record=answered >= self.end)
        if answered < self.end:
            life.when = v["answered_at"] = answered
            life.answer(answer, executor, head)

    def appeal_close(self, life: _Life, lead: User) -> None:
        """The coordinator closes an answered appeal with its outcome; the investor may rate the answer."""
        rng, v = self.rng, life.values
        closed = v["answered_at"] + timedelta(days=rng.uniform(0.5, 14))
        rated = closed + timedelta(days=rng.uniform(0.1, 3))
        if closed < self.end:
            outcome = rng.choices(_OUTCOME_VALUES, cum_weights=_OUTCOME_WEIGHTS)[0]
            life.when = v["closed_at"] = closed
            life.step(lead, outcome, "close")
        if rated < self.end and rng.random() < (0.75 if life.status != S.ANSWERED else 0.3):
            good = life.status in {S.ANSWERED, S.RESOLVED}
            rating = rng.choices((1, 2, 3, 4, 5), cum_weights=_GOOD_RATINGS if good else _POOR_RATINGS)[0]
            comment = ""
            if rng.random() < 0.3:
                comment = "Спасибо за помощь!" if rating >= 4 else "Вопрос решён не полностью."
            v.update(rating=rating, rating_comment=comment)
            life.when = rated
            life.answers[-1].update(rating=rating, rating_comment=comment, rated_at=rated)
            life.step(self.investors[id(life.company)], life.status, "rate", comment, kind=AppealEventKind.RATED,
                      data={"rating": rating, "round": life.answers[-1]["number"]})

    # --- shared ----------------------------------------------------------------------------------------------
    def deadline(self, fact: Fact, start: date) -> date:
        key = (fact.appeal_type_id, start)
        if key not in self.deadlines:
            kind = fact.appeal_type
            self.deadlines[key] = deadline_for(start=start, period=kind.period_days, day_kind=kind.day_kind,
                                               move_to_working_day=kind.move_to_working_day,
                                               overrides=self.overrides)
        return self.deadlines[key]

    def moment(self, day: date) -> datetime:
        """A moment of office hours on that day, Moscow time."""
        return timezone.make_aware(datetime.combine(day, time(self.rng.randrange(8, 20), self.rng.randrange(60))))

    def counter_base(self, name: str, floor: int) -> int:
        counter, _ = Counter.objects.get_or_create(name=name)
        return max(counter.value, floor)

