"""The organisers' resource form: a file (checked) or a link, never both."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from menage.i18n import format_size
from menage.platform.core.forms import ModelForm
from menage.platform.organisations.models import Organisation
from menage.platform.resources.models import Resource
from menage.platform.resources.validators import allowed_extensions, validate_upload


class ResourceForm(ModelForm):
    url = forms.URLField(label=_("Link"), required=False, assume_scheme="https")

    class Meta:
        model = Resource
        fields = ["organisation", "title", "theme", "description", "file", "url", "visibility"]
        widgets = {"visibility": forms.RadioSelect}

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from django.conf import settings

        fields: Any = self.fields
        fields["organisation"].queryset = organisations
        fields["file"].help_text = _("Up to {limit}. Types: {types}.").format(
            limit=format_size(settings.MENAGE_UPLOAD_MAX_BYTES),
            types=", ".join(allowed_extensions()),
        )
        fields["file"].widget = forms.FileInput(
            attrs={"accept": ",".join("." + ext for ext in allowed_extensions())}
        )
        fields["url"].help_text = _("Or a link to a guide published elsewhere.")
        self._describe()  # the hints above changed after the mixin described the fields

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "content_type"):  # a new upload, not the stored file
            validate_upload(upload)
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        has_file = bool(data.get("file")) or bool(
            self.instance.file and "file" not in self.changed_data
        )
        has_url = bool(data.get("url"))
        if has_file and has_url:
            self.add_error("url", _("Give a file or a link, not both."))
        elif not has_file and not has_url and "file" not in self.errors:
            self.add_error("file", _("Give a file or a link."))
        return data

    def save(self, commit: bool = True) -> Resource:
        resource: Resource = super().save(commit=False)
        resource.file_size = resource.file.size if resource.file else 0
        if commit:
            resource.save()
        return resource
