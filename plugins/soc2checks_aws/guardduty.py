"""GuardDuty fixtures, per region: detectors and their status."""

from __future__ import annotations

from soc2checks import resource
from soc2checks_aws.clients import AwsClients
from soc2checks_aws.errors import call_required
from soc2checks_aws.errors import paginate as _paginate
from soc2checks_aws.models import AwsRegion, GuardDutyDetector, GuardDutyStatus


@resource(
    "aws_guardduty_status",
    scope="region",
    provider="aws",
    permissions=["guardduty:ListDetectors", "guardduty:GetDetector"],
    resource_type="AWS::GuardDuty::Detector",
)
def aws_guardduty_status(aws_region: AwsRegion, aws_clients: AwsClients) -> GuardDutyStatus:
    """The region's GuardDuty detectors (a region has at most one) and their status."""
    account, region = aws_region.account_id, aws_region.region
    gd = aws_clients.client("guardduty", account, region)
    ids = _paginate(
        gd, "list_detectors", "DetectorIds", "guardduty:ListDetectors", f"{account}/{region}"
    )
    detectors = []
    for detector_id in ids:
        d = call_required(
            gd.get_detector,
            "guardduty:GetDetector",
            f"detector {detector_id}",
            DetectorId=detector_id,
        )
        detectors.append(GuardDutyDetector(detector_id=detector_id, status=d.get("Status", "")))
    return GuardDutyStatus(account_id=account, region=region, detectors=detectors)
