"""Threat detection: managed detection services are enabled.

Managed threat detection monitors for anomalies and feeds incident evaluation (CC7.2,
CC7.3).
"""

from __future__ import annotations

from soc2checks import control
from soc2checks_aws.models import GuardDutyStatus, SecurityHubStatus
from soc2checks_azure.models import DefenderPlans

threat_detection = control("threat-detection", criteria=["CC7.2", "CC7.3"])

# Checks for every provider sit side by side below, grouped by provider.


# --- aws ---


@threat_detection.check(
    "aws.guardduty.enabled",
    over="aws_guardduty_status",
    severity="high",
    remediation=(
        "Enable GuardDuty in the region (`aws guardduty create-detector --enable`), "
        "ideally for the whole organization from a delegated administrator account."
    ),
)
def aws_guardduty_enabled(status: GuardDutyStatus) -> None:
    """GuardDuty has an enabled detector in every region."""
    where = f"{status.region} of account {status.account_id}"
    assert status.detectors, f"GuardDuty is not enabled in {where} (no detector)"
    assert any(d.status == "ENABLED" for d in status.detectors), (
        f"the GuardDuty detector in {where} is disabled"
    )


@threat_detection.check(
    "aws.securityhub.enabled",
    over="aws_securityhub_status",
    severity="medium",
    remediation="Enable Security Hub in the region: `aws securityhub enable-security-hub`.",
)
def aws_securityhub_enabled(status: SecurityHubStatus) -> None:
    """Security Hub is enabled in every region."""
    assert status.enabled, (
        f"Security Hub is not enabled in {status.region} of account {status.account_id}"
    )


# --- azure ---

_AZURE_DEFENDER_DEFAULT = ["VirtualMachines", "StorageAccounts", "SqlServers", "KeyVaults", "Arm"]


@threat_detection.check(
    "azure.defender.plans",
    over="azure_defender_plans",
    severity="medium",
    remediation=(
        "Turn on the Microsoft Defender for Cloud plans listed in required_plans (Standard tier)."
    ),
)
def azure_defender_plans(
    plans: DefenderPlans, required_plans: list[str] = _AZURE_DEFENDER_DEFAULT
) -> None:
    """Defender plans in required_plans are on (Standard tier)."""
    off = sorted(p for p in required_plans if plans.tiers.get(p, "").lower() != "standard")
    assert not off, f"subscription {plans.subscription_id}: Defender plans not on: {', '.join(off)}"
