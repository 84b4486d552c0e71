"""«Шаблоны документов»: the .docx templates of «Справка по проекту» and the letter drafts (docs/documents.md).
Coordinators, heads and administrators upload and switch them (core.roles); a refused file changes nothing.

Only adapts: the file's checks and storing it are core.services.document_templates, the built-in templates and
the filling core.documents.briefs / templated.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from unfold.decorators import action, display
from unfold.widgets import UnfoldAdminFileFieldWidget

from admin_site.admin.base import CorridorModelAdmin
from core.choices import DocumentTemplateKind
from core.documents.briefs import default_template
from core.documents.project_docx import DOCX_CONTENT_TYPE
from core.http import private_file_response
from core.models import DocumentTemplate
from core.services.document_templates import document_template_check, document_template_save

K = DocumentTemplateKind
BUILT_IN_FILES = {K.BRIEF: "spravka", K.LETTER_AUTHORITY: "pismo-oiv", K.INVESTOR_ANSWER: "otvet-investoru",
                  K.VKS_INVITATION: "priglashenie-vks"}


class DocumentTemplateForm(forms.ModelForm):
    upload = forms.FileField(
        label=_("Файл шаблона (.docx)"), required=False, widget=UnfoldAdminFileFieldWidget,
        help_text=_("Документ Word с полями вида {{ проект.название }}; строка таблицы с полем списка "
                    "({{ дорожная_карта.пункт }}) повторяется для каждого пункта. Начните со встроенного шаблона "
                    "(кнопка «Скачать встроенный шаблон» над списком)."),
    )

    class Meta:
        model = DocumentTemplate
        fields = ("kind", "title", "is_active")

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload is None and self.instance.pk is None:
            raise ValidationError(gettext("Выберите файл шаблона (.docx)."))
        if upload is not None:
            try:
                document_template_check(upload)
            except ValidationError as error:
                raise ValidationError(error.message_dict["file"]) from error
        return upload


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(CorridorModelAdmin):
    form = DocumentTemplateForm
    list_display = ("title", "kind", "active_badge", "original_name", "uploaded_by", "uploaded")
    list_filter = ("kind", "is_active")
    list_select_related = ("uploaded_by",)
    search_fields = ("title", "original_name")
    search_help_text = _("Название шаблона или имя файла")
    readonly_fields = ("original_name", "uploaded_by", "uploaded")
    actions_list = [{"title": _("Скачать встроенный шаблон"), "icon": "download", "items": [
        "built_in_brief", "built_in_letter_authority", "built_in_investor_answer", "built_in_vks_invitation"]}]
    actions_detail = ("download_file",)

    def get_fieldsets(self, request: HttpRequest, obj=None):
        main = (None, {"fields": ("kind", "title", "upload", "is_active")})
        if obj is None:
            return [main]
        return [main, (_("Загружен"), {"fields": ("original_name", "uploaded_by", "uploaded")})]

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # a template is switched off («используется»), so the documents made with it stay explained

    def save_model(self, request: HttpRequest, obj: DocumentTemplate, form, change: bool) -> None:
        document_template_save(kind=obj.kind, title=obj.title, upload=form.cleaned_data.get("upload"),
                               user=request.user, template=obj, is_active=obj.is_active)

    # --- buttons -------------------------------------------------------------------------------------------------
    def _built_in(self, kind: str) -> HttpResponse:
        response = HttpResponse(default_template(kind), content_type=DOCX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="shablon-{BUILT_IN_FILES[K(kind)]}.docx"'
        response["Cache-Control"] = "private, no-store"
        return response

    @action(description=K.BRIEF.label, url_path="built-in/brief", permissions=["view"])
    def built_in_brief(self, request: HttpRequest) -> HttpResponse:
        return self._built_in(K.BRIEF)

    @action(description=K.LETTER_AUTHORITY.label, url_path="built-in/letter-authority", permissions=["view"])
    def built_in_letter_authority(self, request: HttpRequest) -> HttpResponse:
        return self._built_in(K.LETTER_AUTHORITY)

    @action(description=K.INVESTOR_ANSWER.label, url_path="built-in/investor-answer", permissions=["view"])
    def built_in_investor_answer(self, request: HttpRequest) -> HttpResponse:
        return self._built_in(K.INVESTOR_ANSWER)

    @action(description=K.VKS_INVITATION.label, url_path="built-in/vks-invitation", permissions=["view"])
    def built_in_vks_invitation(self, request: HttpRequest) -> HttpResponse:
        return self._built_in(K.VKS_INVITATION)

    @action(description=_("Скачать файл шаблона"), url_path="file", icon="download", permissions=["view"])
    def download_file(self, request: HttpRequest, object_id) -> HttpResponse:
        template = self.get_object(request, object_id)
        if template is None:
            raise Http404(gettext("Шаблон не найден."))
        try:
            return private_file_response(file=template.file, filename=template.original_name,
                                         content_type=DOCX_CONTENT_TYPE)
        except FileNotFoundError as missing:
            raise Http404(gettext("Файл шаблона не найден в хранилище.")) from missing

    # --- columns -------------------------------------------------------------------------------------------------
    @display(description=_("используется"), ordering="is_active", label={"on": "success", "off": "default"})
    def active_badge(self, obj: DocumentTemplate) -> tuple[str, str]:
        return ("on", gettext("Используется")) if obj.is_active else ("off", gettext("Выключен"))

    @display(description=_("загружен"), ordering="uploaded_at")
    def uploaded(self, obj: DocumentTemplate) -> str:
        return f"{timezone.localtime(obj.uploaded_at):%d.%m.%Y %H:%M}" if obj.uploaded_at else "—"
