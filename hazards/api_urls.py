from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

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

urlpatterns = [
    path("auth/token/", api.obtain_token, name="api_token"),
    path("schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("tasks/<int:pk>/penalty/", api.penalty_task_complete, name="api_penalty_task"),
    path("", include(router.urls)),
    re_path(r"^(?P<path>.*)$", api.not_found),
]
