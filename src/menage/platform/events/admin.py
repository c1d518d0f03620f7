from django.contrib import admin

from menage.platform.events.models import Event, Registration, Venue


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "neighbourhood", "organisation"]
    search_fields = ["name", "neighbourhood"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["title", "campaign", "kind", "starts_at", "venue"]
    list_filter = ["kind", "campaign"]
    search_fields = ["title"]
    filter_horizontal = ["facilitators", "partners"]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["event", "created_at"]
    # residents' names and addresses stay out of lists; open a row to see them
    readonly_fields = ["event", "name", "email", "created_at"]
