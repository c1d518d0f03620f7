from django.contrib import admin

from menage.platform.resources.models import Resource


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["title", "theme", "organisation", "visibility"]
    list_filter = ["theme", "visibility"]
    search_fields = ["title"]
