from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from core.management.russian import RussianErrors
from core.workflows.diagram import DIAGRAMS, mermaid_block_replace

DOCS_DIR = Path(settings.BASE_DIR) / "docs" / "workflows"


class Command(RussianErrors, BaseCommand):
    help = (
        "Печатает диаграмму состояний (Mermaid), построенную по коду: appeals — обращения, projects — этапы "
        "проекта, tasks — задачи; с --write обновляет docs/workflows/<имя>.mmd и блок mermaid на странице "
        "документации (appeals.md; projects.md — этапы и задачи)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("name", choices=sorted(DIAGRAMS))
        parser.add_argument("--write", action="store_true", help="Записать диаграмму в docs/workflows/.")

    def handle(self, *args, name: str, write: bool, **options) -> None:
        spec = DIAGRAMS[name]
        diagram = spec.generate()
        if not write:
            self.stdout.write(diagram, ending="")
            return
        source, page = DOCS_DIR / f"{name}.mmd", DOCS_DIR / spec.page
        source.write_text(diagram, encoding="utf-8")
        page.write_text(mermaid_block_replace(page.read_text(encoding="utf-8"), diagram, spec.block), encoding="utf-8")
        self.stdout.write(f"Обновлены {source} и {page}.")
