from django.contrib import admin

from menage.platform.equipment.models import Device, DeviceTransition, PartDonation, WipeCertificate


class LogInline(admin.TabularInline):  # type: ignore[type-arg]
    model = DeviceTransition
    extra = 0
    readonly_fields = ["transition", "from_state", "to_state", "by", "at", "note"]
    can_delete = False


@admin.register(Device)
class DeviceAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["code", "device_type", "brand", "model_name", "state", "organisation"]
    list_filter = ["state", "device_type"]
    search_fields = ["code", "serial", "brand", "model_name"]
    # the state changes only through the lifecycle (services.py), never by hand here
    readonly_fields = ["code", "state"]
    inlines = [LogInline]


admin.site.register(WipeCertificate)
admin.site.register(PartDonation)
