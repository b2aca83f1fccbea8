"""GuardDuty fixtures, per region: detectors and their status."""

from __future__ import annotations

from typing import Any

from soc2checks import resource
from soc2checks_aws._parse import Answer
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
    answers = {
        detector_id: call_required(
            gd.get_detector,
            "guardduty:GetDetector",
            f"detector {detector_id}",
            DetectorId=detector_id,
        )
        for detector_id in ids
    }
    return parse_guardduty(aws_region, answers)


def parse_guardduty(region: AwsRegion, answers: dict[str, Any]) -> GuardDutyStatus:
    """The ``GetDetector`` answers by detector ID; a detector without a status is
    missing data."""
    a = Answer(None)
    detectors = []
    for detector_id, answer in sorted(answers.items()):
        d = Answer(answer)
        status = d.text("status", "Status")
        if d.missing:
            a.mark("detectors", f"Status of detector {detector_id}")
        detectors.append(GuardDutyDetector(detector_id=detector_id, status=status))
    return GuardDutyStatus(
        account_id=region.account_id,
        region=region.region,
        detectors=detectors,
        missing_fields=a.missing,
    )
