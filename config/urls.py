from django.contrib import admin
from django.urls import include, path
from viewflow.urls import Site
from viewflow.workflow.flow import FlowViewset
from django.utils.translation import gettext_lazy as _

from enterprises.flows import AssignmentFlow
from hazards.flows import BlacklistFlow, ExtensionFlow, PenaltyFlow, PlanFlow, RectificationFlow
from hazards.workbench import Workbench

site = Site(
    title=_("隐患闭环整改"),
    viewsets=[
        Workbench(
            title=_("工作台"),
            flow_viewsets=[FlowViewset(RectificationFlow, icon="assignment"),
                           FlowViewset(PlanFlow, icon="fact_check"),
                           FlowViewset(ExtensionFlow, icon="schedule"),
                           FlowViewset(PenaltyFlow, icon="gavel"),
                           FlowViewset(BlacklistFlow, icon="block"),
                           FlowViewset(AssignmentFlow, icon="badge")],
        ),
    ],
)

admin.site.site_header = _("隐患闭环整改系统 · 系统管理")
admin.site.site_title = _("隐患闭环整改系统")
admin.site.index_title = _("系统管理")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("hazards.api_urls")),
    path("", include("supervision.urls")),
    path("", include("hazards.urls")),
    path("", site.urls),  # viewflow's frontend: /workflow/inbox/, /workflow/queue/, /workflow/archive/
]
