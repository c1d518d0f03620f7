"""Forms of the organisations app: invite someone, accept an invitation, change a role."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.db.models import QuerySet
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from menage.platform.core.forms import Form, ModelForm, date_field
from menage.platform.organisations.branding import validate_colour, validate_logo
from menage.platform.organisations.models import Membership, Organisation

# what a district or a city may invite below it
CHILD_KINDS = [
    ("", _("No: they join this organisation")),
    (Organisation.Kind.SCHOOL, _("Yes, a school")),
    (Organisation.Kind.ASSOCIATION, _("Yes, an association")),
    (Organisation.Kind.COMPANY, _("Yes, a company")),
    (Organisation.Kind.CITY, _("Yes, a city")),
]


class InvitationForm(Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), empty_label=None
    )
    email = forms.EmailField(label=_("Their email address"), max_length=254)
    role = forms.ChoiceField(
        label=_("Role"), choices=Membership.Role.choices, widget=forms.RadioSelect
    )
    new_kind = forms.ChoiceField(
        label=_("Do they register their own organisation below it?"),
        choices=CHILD_KINDS,
        required=False,
        widget=forms.RadioSelect,
        help_text=_(
            "A school invited by its district registers itself, and manages its own "
            "operation there."
        ),
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.initial.setdefault("role", Membership.Role.FACILITATOR)
        self.initial.setdefault("new_kind", "")

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).strip().lower()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("new_kind") and data.get("role") != Membership.Role.MANAGER:
            self.add_error(
                "role", _("Someone who registers their own organisation is its manager.")
            )
        return data


class AcceptForm(Form):
    """Shown to a signed-in person, or to someone new (who then chooses a password)."""

    organisation_name = forms.CharField(label=_("Name of your organisation"), max_length=200)
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("12 characters or more; not only digits, not a common password."),
    )
    password2 = forms.CharField(
        label=_("The same password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, new_account: bool, new_organisation: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if not new_account:
            for name in ("first_name", "last_name", "password1", "password2"):
                del self.fields[name]
        if not new_organisation:
            del self.fields["organisation_name"]
        self._describe()

    def clean_organisation_name(self) -> str:
        name = " ".join(self.cleaned_data["organisation_name"].split())
        if not slugify(name):
            raise forms.ValidationError(_("Enter a name made of letters or digits."))
        return name

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            user = get_user_model()(
                first_name=data.get("first_name", ""), last_name=data.get("last_name", "")
            )
            try:
                password_validation.validate_password(first, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class RoleForm(Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class OrganisationForm(ModelForm):
    """What a manager says about their organisation, its look, and its legal pages."""

    audit_date = date_field(_("Audit date"), required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = [
            "name",
            "description",
            "website",
            "logo",
            "colour",
            "data_controller",
            "postal_address",
            "dpo_contact",
            "rgaa_status",
            "audit_date",
            "audit_by",
            "audit_rate",
            "non_compliant",
            "derogations",
            "accessibility_contact",
        ]
        widgets = {"rgaa_status": forms.RadioSelect, "logo": forms.FileInput}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["rgaa_status"].choices = Organisation._meta.get_field("rgaa_status").choices
        fields["logo"].widget.attrs["accept"] = ".png,.jpg,.jpeg"
        fields["logo"].help_text = _("PNG or JPEG, 200 kB at most; shown on your pages.")
        self._describe()

    def clean_colour(self) -> str:
        return validate_colour(str(self.cleaned_data.get("colour") or ""))

    def clean_logo(self) -> Any:
        logo = self.cleaned_data.get("logo")
        if logo and hasattr(logo, "content_type"):  # a new upload
            validate_logo(logo)
        return logo

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("rgaa_status") in ("partial", "full") and not data.get("audit_date"):
            self.add_error(
                "audit_date",
                _("Only an audit can say the site is compliant: give its date."),
            )
        return data
