from django.contrib import admin

from menage.platform.campaigns.models import Campaign


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "organisation", "kind", "starts_on", "ends_on", "visibility"]
    list_filter = ["kind", "visibility"]
    search_fields = ["name", "organisation__name"]
    prepopulated_fields = {"slug": ["name"]}
