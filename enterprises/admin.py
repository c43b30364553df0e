from django.contrib import admin

from .models import Enterprise, EnterpriseUser, GradeAssessment, GradeCadence, ResponsibleAssignment, Sector


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


@admin.register(GradeCadence)
class GradeCadenceAdmin(admin.ModelAdmin):
    list_display = ["grade", "interval_months", "yearly_cap", "routine_cadence"]


@admin.register(GradeAssessment)
class GradeAssessmentAdmin(admin.ModelAdmin):
    """History only: grades are set on the supervision pages, through the service that audits them."""

    list_display = ["enterprise", "grade", "set_on", "set_by", "reason"]
    list_filter = ["grade"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ResponsibleAssignment)
class ResponsibleAssignmentAdmin(GradeAssessmentAdmin):
    list_display = ["enterprise", "role", "person_name", "phone", "start_date", "end_date"]
    list_filter = ["role"]
