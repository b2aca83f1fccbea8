"""First-party control pack: one module per control, its checks for every provider.

Loaded through the ``soc2checks`` entry-point group like any third-party pack.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from soc2checks import hookimpl

CONTROL_MODULES = (
    "mfa_enforced",
    "access_reviews",
    "privileged_access",
    "password_policy",
    "credential_rotation",
    "stale_access",
    "least_privilege",
    "vendor_access",
    "public_exposure",
    "network_ingress",
    "encryption_at_rest",
    "encryption_in_transit",
    "backup_and_recovery",
    "key_management",
    "audit_logging",
    "configuration_monitoring",
    "threat_detection",
    "log_retention",
    "branch_protection",
    "change_management",
    "vulnerability_management",
    "documented_policies",
    "risk_assessment",
    "recovery_testing",
    "incident_response",
    "vendor_management",
    "security_training",
    "background_checks",
    "policy_acknowledgement",
    "offboarding",
    "board_oversight",
    "org_structure",
    "control_ownership",
    "system_description",
    "external_commitments",
    "deficiency_tracking",
    "asset_disposal",
    "subservice_reports",
    "privacy_notice",
    "data_classification",
    "privacy_requests",
    "consent",
    "retention",
    "disclosures",
    "breach_notification",
    "vendor_dpa",
    "processing_specifications",
    "processing_integrity",
    "capacity_management",
    "data_expiration",
)


@hookimpl
def soc2checks_register_controls() -> list[ModuleType]:
    return [importlib.import_module(f"{__name__}.{name}") for name in CONTROL_MODULES]


@hookimpl
def soc2checks_register_frameworks() -> list[object]:
    from soc2checks.frameworks import iso27001_annex_a
    from soc2checks_controls._iso27001 import ANNEX_A

    return [iso27001_annex_a(mapping=ANNEX_A)]
