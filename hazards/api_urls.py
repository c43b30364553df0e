from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter, SimpleRouter

from supervision import api as supervision_api

from . import api

router = DefaultRouter()
router.register("enterprises", api.EnterpriseViewSet, basename="enterprise")
router.register("inspections", api.InspectionViewSet, basename="inspection")
router.register("hazards", api.HazardViewSet, basename="hazard")
router.register("tasks", api.TaskViewSet, basename="task")
router.register("notices", api.NoticeViewSet, basename="notice")
router.register("provisions", api.ProvisionViewSet, basename="provision")
router.register("penalties", api.PenaltyCaseViewSet, basename="penalty")
router.register("blacklist", api.BlacklistViewSet, basename="blacklist")
router.register("disclosures", api.DisclosureViewSet, basename="disclosure")

supervision = SimpleRouter()
supervision.register("enterprises", supervision_api.SupervisedEnterpriseViewSet, basename="supervised-enterprise")
supervision.register("assignment-changes", supervision_api.AssignmentChangeViewSet, basename="assignment-change")
supervision.register("visits", supervision_api.VisitViewSet, basename="guidance-visit")
supervision.register("meetings", supervision_api.MeetingViewSet, basename="safety-meeting")
supervision.register("reports", supervision_api.ReportViewSet, basename="duty-report")
supervision.register("presence-requests", supervision_api.PresenceRequestViewSet, basename="presence-request")
supervision.register("plans", supervision_api.PlanViewSet, basename="inspection-plan")
supervision.register("planned-visits", supervision_api.PlannedVisitViewSet, basename="planned-visit")
supervision.register("duties", supervision_api.DutyViewSet, basename="duty")
supervision.register("reminders", supervision_api.ReminderViewSet, basename="reminder")
supervision.register("cadence", supervision_api.CadenceViewSet, basename="grade-cadence")
supervision.register("duty-rules", supervision_api.DutyRuleViewSet, basename="duty-rule")

urlpatterns = [
    path("auth/token/", api.obtain_token, name="api_token"),
    path("schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("tasks/<int:pk>/penalty/", api.penalty_task_complete, name="api_penalty_task"),
    path("supervision/assignment-tasks/<int:task_id>/", supervision_api.assignment_task_decide,
         name="api_assignment_task"),
    path("supervision/", include(supervision.urls)),
    path("", include(router.urls)),
    re_path(r"^(?P<path>.*)$", api.not_found),
]
