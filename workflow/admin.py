from django.contrib import admin

from .models import AuditEntry, Holiday, LegalPeriod, Notice, Office, Staff


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["name", "abbreviation", "is_legal_office", "order"]


@admin.register(Staff)
class StaffAdmin(admin.ModelAdmin):
    list_display = ["full_name", "user", "office", "is_office_head", "leader_role"]
    list_filter = ["office", "leader_role"]
    filter_horizontal = ["portfolio"]


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ["date", "is_workday", "name"]
    list_filter = ["is_workday"]


@admin.register(LegalPeriod)
class LegalPeriodAdmin(admin.ModelAdmin):
    list_display = ["name", "days", "working_days", "basis", "key"]
    readonly_fields = ["key"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ["number", "kind", "enterprise", "issued_at"]
    list_filter = ["kind", "year", "office"]
    search_fields = ["number", "enterprise__name"]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["id", "at", "actor_name", "action", "summary"]
    list_filter = ["action"]
    search_fields = ["summary", "actor_name"]
