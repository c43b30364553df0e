from django.urls import path

from . import board_views, views

urlpatterns = [
    path("supervision/", views.dashboard, name="supervision_dashboard"),
    path("supervision/export.xlsx", views.dashboard_export, name="supervision_export"),
    path("supervision/overdue/", views.overdue, name="supervision_overdue"),
    path("supervision/people/<int:user_id>/", views.person, name="supervision_person"),
    path("supervision/enterprises/", views.enterprise_list, name="supervision_enterprises"),
    path("supervision/enterprises/<int:pk>/", views.enterprise_detail, name="supervision_enterprise"),
    path("supervision/enterprises/<int:pk>/grade/", views.grade_set, name="supervision_grade"),
    path("supervision/enterprises/<int:pk>/assign/", views.assignment_propose, name="supervision_assign"),
    path("supervision/enterprises/<int:pk>/plans/<int:year>/", views.plan, name="supervision_plan"),
    path("supervision/plans/generate/", views.plans_generate, name="supervision_plans_generate"),
    path("supervision/visits/", views.visit_list, name="supervision_visits"),
    path("supervision/visits/new/", views.visit_new, name="supervision_visit_new"),
    path("supervision/meetings/", views.meeting_list, name="supervision_meetings"),
    path("supervision/meetings/new/", views.meeting_new, name="supervision_meeting_new"),
    path("supervision/reports/", views.report_list, name="supervision_reports"),
    path("supervision/reports/new/", views.report_new, name="supervision_report_new"),
    path("supervision/presence/", views.presence_list, name="supervision_presence"),
    path("supervision/presence/new/", views.presence_new, name="supervision_presence_new"),
    path("supervision/reminders/", views.reminders, name="supervision_reminders"),
    path("supervision/boards/", board_views.board_list, name="supervision_boards"),
    path("supervision/boards/batches/<int:pk>/", board_views.batch_detail, name="supervision_board_batch"),
    path("supervision/boards/batches/<int:pk>/status/", board_views.batch_status,
         name="supervision_board_batch_status"),
    path("supervision/boards/batches/<int:pk>/pdf/", board_views.batch_pdf, name="supervision_board_batch_pdf"),
    path("portal/supervision/", views.portal_supervision, name="portal_supervision"),
]
