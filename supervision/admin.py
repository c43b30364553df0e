from django.contrib import admin

from .models import DutyRule


@admin.register(DutyRule)
class DutyRuleAdmin(admin.ModelAdmin):
    """The duty standards (履职标准): how many, how often, reminded how many days ahead."""

    list_display = ["name", "subject", "period", "required", "remind_days_before", "active", "basis"]
    list_editable = ["required", "remind_days_before", "active"]
    list_filter = ["subject", "period", "active"]
    readonly_fields = ["code", "subject", "measure"]
