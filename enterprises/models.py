from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .validators import validate_uscc


class Sector(models.Model):
    """An industry sector (行业领域) and the office that regulates it, for routing."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=40, unique=True)
    office = models.ForeignKey(
        "workflow.Office", verbose_name=_("责任部室"), on_delete=models.PROTECT, related_name="sectors"
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("行业领域")
        verbose_name_plural = _("行业领域")

    def __str__(self):
        return self.name


class Enterprise(models.Model):
    name = models.CharField(_("企业名称"), max_length=100)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True, validators=[validate_uscc])
    address = models.CharField(_("地址"), max_length=200)
    sectors = models.ManyToManyField(Sector, verbose_name=_("行业领域"), related_name="enterprises")
    employees = models.PositiveIntegerField(_("从业人员数"), default=0)
    legal_representative = models.CharField(_("法定代表人"), max_length=30)
    person_in_charge = models.CharField(_("主要负责人"), max_length=30)
    contact_person = models.CharField(_("联系人"), max_length=30, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("企业")
        verbose_name_plural = _("企业")

    def __str__(self):
        return self.name


    def snapshot(self):
        return {
            "name": self.name, "uscc": self.uscc, "address": self.address,
            "legal_representative": self.legal_representative, "person_in_charge": self.person_in_charge,
            "contact_person": self.contact_person, "contact_phone": self.contact_phone,
        }


class EnterpriseUser(models.Model):
    """Links a login to exactly one enterprise."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enterprise_account")
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="users")
    full_name = models.CharField(_("姓名"), max_length=30)
    phone = models.CharField(_("电话"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("企业用户")
        verbose_name_plural = _("企业用户")

    def __str__(self):
        return f"{self.full_name}（{self.enterprise}）"
