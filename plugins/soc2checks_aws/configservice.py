"""AWS Config fixtures, per region: configuration recorders and whether they record."""

from __future__ import annotations

from typing import Any

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
        "config:DescribeDeliveryChannels",
    ],
    resource_type="AWS::Config::ConfigurationRecorder",
)
def aws_config_recorders(aws_region: AwsRegion, aws_clients: AwsClients) -> ConfigRecorders:
    """The region's recorders, what they record, their status and the delivery channels
    (status and channels are read only when there is a recorder)."""
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
    channels = call_required(
        cfg.describe_delivery_channels, "config:DescribeDeliveryChannels", where
    ).get("DeliveryChannels", [])
    by_name = {s.get("name"): s for s in statuses}
    return ConfigRecorders(
        account_id=account,
        region=region,
        recorders=[_recorder(r, by_name.get(r.get("name"), {})) for r in recorders],
        delivery_channels=sorted(str(c.get("name", "")) for c in channels),
    )


def _recorder(r: dict[str, Any], status: dict[str, Any]) -> ConfigRecorder:
    group = r.get("recordingGroup") or {}
    all_supported = group.get("allSupported")
    error = status.get("lastErrorCode")
    if error and status.get("lastErrorMessage"):
        error = f"{error}: {status['lastErrorMessage']}"
    return ConfigRecorder(
        name=r.get("name", ""),
        recording=bool(status.get("recording", False)),
        all_supported=all_supported if isinstance(all_supported, bool) else None,
        recording_strategy=(group.get("recordingStrategy") or {}).get("useOnly"),
        excluded_types=sorted(
            (group.get("exclusionByResourceTypes") or {}).get("resourceTypes") or []
        ),
        included_types=sorted(group.get("resourceTypes") or []),
        last_status=status.get("lastStatus"),
        last_error=error or None,
    )
