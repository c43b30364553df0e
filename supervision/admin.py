from django.contrib import admin

from .models import DutyRule


@admin.register(DutyRule)
class DutyRuleAdmin(admin.ModelAdmin):
    """The duty standards (履职标准): how many, how often, reminded how many days ahead."""

    list_display = ["name", "subject", "period", "required", "remind_days_before", "active", "basis"]
    list_editable = ["required", "remind_days_before", "active"]
    list_filter = ["subject", "period", "active"]

    def get_readonly_fields(self, request, obj=None):
        # A rule's identity is fixed once reminders have been keyed by it; a new rule may combine any of them.
        return ["code", "subject", "measure"] if obj else []
