"""Sign in and out for organisers (residents never need an account)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm

from menage.platform.core.forms import AccessibleFormMixin
from menage.platform.core.ratelimit import rate_limited


class LoginForm(AccessibleFormMixin, AuthenticationForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs["autocomplete"] = "username"


login = rate_limited("login")(
    auth_views.LoginView.as_view(
        template_name="core/login.html",
        authentication_form=LoginForm,
        redirect_authenticated_user=True,
        extra_context={"section": "login"},
    )
)
logout = auth_views.LogoutView.as_view()
