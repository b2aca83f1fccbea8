"""AWS Config fixtures, per region: configuration recorders and whether they record."""

from __future__ import annotations

from soc2checks import resource
from soc2checks_aws.clients import AwsClients
from soc2checks_aws.errors import call_required
from soc2checks_aws.models import AwsRegion, ConfigRecorder, ConfigRecorders


@resource(
    "aws_config_recorders",
    scope="region",
    provider="aws",
    permissions=[
        "config:DescribeConfigurationRecorders",
        "config:DescribeConfigurationRecorderStatus",
    ],
    resource_type="AWS::Config::ConfigurationRecorder",
)
def aws_config_recorders(aws_region: AwsRegion, aws_clients: AwsClients) -> ConfigRecorders:
    """The region's recorders; their status is read only when there is one."""
    account, region = aws_region.account_id, aws_region.region
    cfg = aws_clients.client("config", account, region)
    where = f"{account}/{region}"
    recorders = call_required(
        cfg.describe_configuration_recorders, "config:DescribeConfigurationRecorders", where
    ).get("ConfigurationRecorders", [])
    if not recorders:
        return ConfigRecorders(account_id=account, region=region)
    statuses = call_required(
        cfg.describe_configuration_recorder_status,
        "config:DescribeConfigurationRecorderStatus",
        where,
    ).get("ConfigurationRecordersStatus", [])
    by_name = {s.get("name"): s for s in statuses}
    return ConfigRecorders(
        account_id=account,
        region=region,
        recorders=[
            ConfigRecorder(
                name=r.get("name", ""),
                recording=bool(by_name.get(r.get("name"), {}).get("recording", False)),
                all_supported=r.get("recordingGroup", {}).get("allSupported"),
                last_status=by_name.get(r.get("name"), {}).get("lastStatus"),
            )
            for r in recorders
        ],
    )
