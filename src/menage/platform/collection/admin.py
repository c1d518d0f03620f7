from django.contrib import admin

from menage.platform.collection.models import CollectionPoint


@admin.register(CollectionPoint)
class CollectionPointAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "neighbourhood", "campaign", "starts_on", "ends_on"]
    search_fields = ["name", "neighbourhood"]
