from django.contrib.auth import views as auth_views
from django.urls import path

from . import penalty_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/no-role/", views.logout_page, name="logout_page"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/new/", views.inspection_new, name="inspection_new"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/edit/", views.inspection_edit, name="inspection_edit"),
    path("cases/<int:pk>/hazards/new/", views.hazard_new, name="hazard_new"),
    path("cases/<int:pk>/hazards/<int:hazard_pk>/delete/", views.hazard_delete, name="hazard_delete"),
    path("cases/<int:pk>/submit/", views.inspection_submit, name="inspection_submit"),
    path("hazards/", views.hazard_list, name="hazard_list"),
    path("tasks/<int:task_pk>/", views.task_execute, name="task_execute"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("notices/<int:pk>/pdf/", views.notice_pdf, name="notice_pdf"),
    path("v/<uuid:token>/", views.notice_verify, name="notice_verify"),
    path("portal/", views.portal, name="portal"),
    path("portal/cases/<int:pk>/", views.portal_case, name="portal_case"),
    path("portal/hazards/<int:pk>/", views.portal_hazard, name="portal_hazard"),
    path("portal/penalties/<int:pk>/", penalty_views.portal_penalty, name="portal_penalty"),
    path("penalties/", penalty_views.penalty_list, name="penalty_list"),
    path("penalties/new/", penalty_views.penalty_new, name="penalty_new"),
    path("penalties/<int:pk>/", penalty_views.penalty_detail, name="penalty_detail"),
    path("blacklist/", penalty_views.blacklist_list, name="blacklist_list"),
    path("blacklist/<int:pk>/delist/", penalty_views.blacklist_delist, name="blacklist_delist"),
    path("disclosure/", penalty_views.disclosure_list, name="disclosure_list"),
    path("disclosure/<int:pk>/", penalty_views.disclosure_detail, name="disclosure_detail"),
]
