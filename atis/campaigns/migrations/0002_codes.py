"""The shipped code lists: target groups, channels and types of activity."""

from typing import Any

from django.db import migrations


def load(apps: Any, schema_editor: Any) -> None:
    from atis.campaigns.reference import load_campaign_codes

    load_campaign_codes(apps.get_model("campaigns", "CampaignCode"))


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
