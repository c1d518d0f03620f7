"""Organisers sign in and out, change their password, and reset a forgotten one.

Residents never need an account. The reset mail goes through the outbox like every
other mail; the page after the form says a mail is on its way *if* an account uses the
address, and never tells whether one does.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from menage.platform.core.forms import AccessibleFormMixin
from menage.platform.core.links import absolute_reverse
from menage.platform.core.ratelimit import by_field, rate_limited
from menage.platform.outbox.queue import queue_mail


class LoginForm(AccessibleFormMixin, auth_forms.AuthenticationForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs["autocomplete"] = "username"
        self.fields["username"].label = _("User name or email address")


class PasswordChangeForm(AccessibleFormMixin, auth_forms.PasswordChangeForm):
    pass


class SetPasswordForm(AccessibleFormMixin, auth_forms.SetPasswordForm):  # type: ignore[type-arg]
    pass


class PasswordResetForm(AccessibleFormMixin, auth_forms.PasswordResetForm):
    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        language = translation.get_language() or "fr"
        link = absolute_reverse(
            "accounts:password_reset_confirm",
            language,
            uidb64=context["uid"],
            token=context["token"],
        )
        queue_mail(
            to_email,
            "password_reset",
            {"user": context["user"], "link": link},
            language=language,
        )


class SiteName:
    """Django's account views put the host in ``site_name``; pages show the platform's name."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["site_name"] = settings.MENAGE_SITE_NAME
        return context


class LoginView(SiteName, auth_views.LoginView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from menage.platform.core.oidc import enabled

        context = super().get_context_data(**kwargs)
        context["oidc_label"] = settings.MENAGE_OIDC_LABEL if enabled() else ""
        return context

    def form_invalid(self, form: Any) -> Any:
        # a refused sign-in answers 400: the rate limiter counts only refused posts
        response = super().form_invalid(form)
        response.status_code = 400
        return response


def _view(base: type[Any]) -> type[Any]:
    return type(base.__name__, (SiteName, base), {})


login = rate_limited("login", by_field("username"))(
    LoginView.as_view(
        template_name="core/login.html",
        authentication_form=LoginForm,
        redirect_authenticated_user=True,
        extra_context={"section": "login"},
    )
)
logout = auth_views.LogoutView.as_view()
password_change = _view(auth_views.PasswordChangeView).as_view(
    template_name="core/account_form.html",
    form_class=PasswordChangeForm,
    success_url=reverse_lazy("accounts:password_change_done"),
    extra_context={"section": "space", "title": _("Change my password"), "submit": _("Save")},
)
password_change_done = _view(auth_views.PasswordChangeDoneView).as_view(
    template_name="core/account_done.html",
    extra_context={"section": "space", "title": _("Your password is changed")},
)
password_reset = rate_limited("password_reset", by_field("email"), every_post=True)(
    _view(auth_views.PasswordResetView).as_view(
        template_name="core/account_form.html",
        form_class=PasswordResetForm,
        success_url=reverse_lazy("accounts:password_reset_done"),
        extra_context={
            "section": "login",
            "title": _("Forgotten password"),
            "submit": _("Send me a link"),
            "intro": _(
                "Give the email address of your account: we send it a link to choose "
                "a new password."
            ),
        },
    )
)
password_reset_done = _view(auth_views.PasswordResetDoneView).as_view(
    template_name="core/account_done.html",
    extra_context={
        "section": "login",
        "title": _("Check your mailbox"),
        "text": _(
            "If an account uses this address, a message with a link is on its way to it. "
            "The link works once, for three days."
        ),
    },
)
password_reset_confirm = rate_limited("password_reset_confirm")(
    _view(auth_views.PasswordResetConfirmView).as_view(
        template_name="core/account_form.html",
        form_class=SetPasswordForm,
        success_url=reverse_lazy("accounts:password_reset_complete"),
        extra_context={
            "section": "login",
            "title": _("Choose a new password"),
            "submit": _("Save"),
        },
    )
)
password_reset_complete = _view(auth_views.PasswordResetCompleteView).as_view(
    template_name="core/account_done.html",
    extra_context={
        "section": "login",
        "title": _("Your password is changed"),
        "text": _("You can sign in with it now."),
    },
)
