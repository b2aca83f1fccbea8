"""Configuration monitoring: configuration changes are recorded.

Recording resource configuration over time is how changes and drift are detected
(CC7.1).
"""

from __future__ import annotations

from soc2checks import control
from soc2checks_aws.models import ConfigRecorders

configuration_monitoring = control("configuration-monitoring", criteria=["CC7.1"])

# Checks for every provider sit side by side below, grouped by provider.


# --- aws ---


@configuration_monitoring.check(
    "aws.config.recorder",
    over="aws_config_recorders",
    severity="medium",
    remediation=(
        "Set up AWS Config in the region (a recorder for all resource types, a delivery "
        "channel) and start it: `aws configservice start-configuration-recorder`."
    ),
)
def aws_config_recorder(recorders: ConfigRecorders) -> None:
    """An AWS Config recorder exists and is recording in every region."""
    where = f"{recorders.region} of account {recorders.account_id}"
    assert recorders.recorders, f"no AWS Config recorder in {where}"
    assert any(r.recording for r in recorders.recorders), (
        f"the AWS Config recorder(s) {', '.join(r.name for r in recorders.recorders)} in "
        f"{where} are not recording"
    )
