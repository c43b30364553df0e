from django.contrib import admin

from .models import Enterprise, EnterpriseUser, Sector


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "office"]


class EnterpriseUserInline(admin.TabularInline):
    model = EnterpriseUser
    extra = 0


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ["name", "uscc", "legal_representative", "contact_phone"]
    search_fields = ["name", "uscc"]
    filter_horizontal = ["sectors"]
    inlines = [EnterpriseUserInline]
