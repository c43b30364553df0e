from django.contrib import admin

from .models import LegalProvision, PenaltyPolicy


@admin.register(LegalProvision)
class LegalProvisionAdmin(admin.ModelAdmin):
    list_display = ["title", "org_fine_min", "org_fine_max", "person_fine_min", "person_fine_max",
                    "allows_suspension", "active"]
    list_filter = ["active"]


@admin.register(PenaltyPolicy)
class PenaltyPolicyAdmin(admin.ModelAdmin):
    list_display = ["__str__", "hearing_org_fine", "hearing_person_fine", "major_org_fine"]

    def has_add_permission(self, request):
        return not PenaltyPolicy.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
