"""Sign in with a user name or an e-mail address (invited organisers have only the latter)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q
from django.http import HttpRequest


class UsernameOrEmailBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if not username or password is None:
            return None
        users = get_user_model().objects.filter(
            Q(username__iexact=username) | Q(email__iexact=username)
        )
        found = list(users[:2])
        if len(found) != 1:  # unknown, or an address two accounts share: refuse
            get_user_model()().set_password(password)  # same time as a real check
            return None
        user = found[0]
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
