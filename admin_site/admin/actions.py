"""Detail buttons whose page opens in unfold's modal: the cabinet's way to ask for a reason or a form before a
door moves a row."""

from collections.abc import Callable

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
