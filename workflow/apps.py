from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "workflow"
    verbose_name = _("流程与文书")

    def ready(self):
        from . import checks  # noqa: F401
        from .viewflow_labels import label_viewflow_list_columns

        label_viewflow_list_columns()
