from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class CodeList(models.TextChoices):
    EXPLOITATION_FORM = "exploitation_form", _("Forms of exploitation")
    SEXUAL_EXPLOITATION_TYPE = "sexual_exploitation_type", _("Types of sexual exploitation")
    LABOUR_INDUSTRY = "labour_industry", _("Forced-labour industries (ISIC)")
    CONTROL_METHOD = "control_method", _("Methods of control")
    RECRUITMENT_METHOD = "recruitment_method", _("Methods of recruitment")
    RECRUITER_RELATION = "recruiter_relation", _("Relation to the recruiter")
    VULNERABILITY = "vulnerability", _("Vulnerability factors")
    SERVICE_TYPE = "service_type", _("Types of service")
    REFERRAL_REASON = "referral_reason", _("Reasons for referral")
    CLOSURE_REASON = "closure_reason", _("Reasons for closing a case")
    HELPLINE_CHANNEL = "helpline_channel", _("HelpLine: channels")
    HELPLINE_CONTACT_TYPE = "helpline_contact_type", _("HelpLine: types of contact")
    HELPLINE_CALLER_ROLE = "helpline_caller_role", _("HelpLine: caller roles")
    HELPLINE_TOPIC = "helpline_topic", _("HelpLine: topics")


class Code(models.Model):
    """One value of a code list. Administrators edit labels, order and whether it is offered;
    the code itself never changes, so statistics across years stay comparable."""

    list = models.CharField(_("list"), max_length=40, choices=CodeList.choices)
    code = models.CharField(_("code"), max_length=60)
    htcds = models.CharField(_("HTCDS 2.0 value"), max_length=80, blank=True)
    label_en = models.CharField(_("label in English"), max_length=200)
    label_ro = models.CharField(_("label in Romanian"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("offered in forms"), default=True)

    class Meta:
        ordering = ["list", "order", "code"]
        verbose_name = _("code")
        verbose_name_plural = _("codes")
        permissions = [("manage_codes", _("Can edit code lists"))]
        constraints = [
            models.UniqueConstraint(fields=["list", "code"], name="codelists_code_unique_per_list"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.label_ro if (get_language() or "ro").startswith("ro") else self.label_en
