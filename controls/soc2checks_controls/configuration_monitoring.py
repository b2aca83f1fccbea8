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
def aws_config_recorder(recorders: ConfigRecorders, exclusions: list[str] | None = None) -> None:
    """An AWS Config recorder records every supported resource type in the region, is
    recording, did not last fail, and has a delivery channel.

    A recorder counts when ``allSupported`` is on, or when it records every type except
    an exclusion list (``EXCLUSION_BY_RESOURCE_TYPES``) whose types are all listed in the
    ``exclusions`` parameter (the resource types the company decided not to record,
    e.g. ``["AWS::EC2::NetworkInterface"]``). A recorder limited to a list of types, one
    whose ``lastStatus`` is ``FAILURE``, or a region without a delivery channel (Config
    keeps nothing) fails.
    """
    allowed = set(exclusions or [])
    where = f"{recorders.region} of account {recorders.account_id}"
    assert recorders.recorders, f"no AWS Config recorder in {where}"
    problems: list[str] = []
    for r in recorders.recorders:
        if r.all_supported is None and r.recording_strategy is None:
            raise RuntimeError(
                f"AWS Config did not say what recorder {r.name} in {where} records "
                "(recordingGroup.allSupported missing): could not verify"
            )
        if not r.recording:
            problems.append(f"{r.name} is not recording")
            continue
        if r.last_status == "FAILURE":
            problems.append(f"{r.name} last failed ({r.last_error or 'lastStatus FAILURE'})")
            continue
        records_all = r.all_supported is True or (
            r.all_supported is None and r.recording_strategy == "ALL_SUPPORTED_RESOURCE_TYPES"
        )
        if not records_all:
            extra = sorted(set(r.excluded_types) - allowed)
            if r.recording_strategy != "EXCLUSION_BY_RESOURCE_TYPES":
                only = ", ".join(r.included_types[:5]) or "none"
                problems.append(
                    f"{r.name} records only listed resource types ({only}), not all supported"
                )
                continue
            if extra:
                problems.append(
                    f"{r.name} excludes resource types not in the exclusions parameter: "
                    + ", ".join(extra)
                )
                continue
        if not recorders.delivery_channels:
            problems.append(f"{r.name} has no delivery channel to deliver to")
            continue
        return
    raise AssertionError(
        f"no AWS Config recorder in {where} records all supported resource types into a "
        "delivery channel: " + "; ".join(problems)
    )
