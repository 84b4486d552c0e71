"""Detail buttons whose page opens in unfold's modal: the cabinet's way to ask for a reason or a form before a
door moves a row."""

from collections.abc import Callable

from django.core.exceptions import ObjectDoesNotExist
from unfold.decorators import action
from unfold.enums import ActionVariant


def dialog_action(view: Callable, *, name: str, label, icon: str, variant: ActionVariant = ActionVariant.DEFAULT,
                  url_path: str | None = None):
    """An unfold detail button for `view(request, object_id, name=name, model_admin=...)`.

    With a `dialog` attribute unfold's button loads the page's #dialog into its modal. It is set after @action on
    purpose: passing dialog= would make unfold process a form of its own, which cannot take files; the view's
    form posts as a normal page, and without JavaScript the button simply opens that page."""

    def button(self, request, object_id):
        return view(request, object_id, name=name, model_admin=self)

    button.__name__ = f"action_{name}"
    method = action(button, description=label, url_path=url_path or name, icon=icon, variant=variant,
                    permissions=["view"])
    method.dialog = {"title": label}
    return method


class DoorAdminMixin:
    """A row that changes only through a core door: the change page is the row as the person may see it, and
    its detail buttons are those core allows them now (plus `always_buttons`); the door checks again on POST.

    Subclasses name `fetch_for_user(*, user, pk)` (a `*_get_for_user` selector) and
    `allowed_buttons(obj, user) -> set[str]` (method names of the buttons)."""

    always_buttons: tuple[str, ...] = ()

    def fetch_for_user(self, *, user, pk: int):
        raise NotImplementedError

    def allowed_buttons(self, obj, user) -> set[str]:
        raise NotImplementedError

    def get_object(self, request, object_id: str, from_field=None):
        """Read once per request: the change view and its buttons (get_actions_detail) share the row."""
        fetched = request.__dict__.setdefault("_door_objects", {})
        key = (self.model, object_id)
        if key not in fetched:
            try:
                fetched[key] = self.fetch_for_user(user=request.user, pk=int(object_id))
            except (ObjectDoesNotExist, ValueError):
                fetched[key] = None
        return fetched[key]

    def get_actions_detail(self, request, object_id):
        obj = self.get_object(request, object_id)
        if obj is None:
            return []
        allowed = self.allowed_buttons(obj, request.user) | set(self.always_buttons)
        buttons = super().get_actions_detail(request, object_id)
        return [button for button in buttons if button.method.original_function_name in allowed]
