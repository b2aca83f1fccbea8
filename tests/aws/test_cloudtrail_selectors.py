"""What GetEventSelectors' answer keeps of management events, table-tested (no server)."""

from __future__ import annotations

from typing import Any

import pytest

from soc2checks_aws.cloudtrail import management_events
from soc2checks_aws.models import CloudTrailSummary, TrailStatus
from soc2checks_controls.audit_logging import aws_cloudtrail_multi_region

MGMT = {"Field": "eventCategory", "Equals": ["Management"]}

TABLE: list[tuple[dict[str, Any], tuple[bool | None, str | None, list[str]]]] = [
    # AWS: no selectors at all logs every read and write management event
    ({"EventSelectors": [], "AdvancedEventSelectors": []}, (True, "All", [])),
    ({"EventSelectors": []}, (True, "All", [])),
    # an answer with neither list says nothing
    ({}, (None, None, [])),
    ({"EventSelectors": [{"ReadWriteType": "All"}]}, (True, "All", [])),
    (
        {
            "EventSelectors": [
                {"ReadWriteType": "All", "IncludeManagementEvents": False},
                {"ReadWriteType": "ReadOnly"},
                {"ReadWriteType": "WriteOnly"},
            ]
        },
        (True, "All", []),
    ),
    ({"EventSelectors": [{"ReadWriteType": "WriteOnly"}]}, (True, "WriteOnly", [])),
    (
        {"EventSelectors": [{"ReadWriteType": "All", "IncludeManagementEvents": False}]},
        (False, None, []),
    ),
    (
        {"EventSelectors": [{"ExcludeManagementEventSources": ["kms.amazonaws.com"]}]},
        (True, "All", ["excludes kms.amazonaws.com"]),
    ),
    ({"AdvancedEventSelectors": [{"FieldSelectors": [MGMT]}]}, (True, "All", [])),
    (
        {
            "AdvancedEventSelectors": [
                {"FieldSelectors": [MGMT, {"Field": "readOnly", "Equals": ["false"]}]}
            ]
        },
        (True, "WriteOnly", []),
    ),
    (
        {
            "AdvancedEventSelectors": [
                {"FieldSelectors": [MGMT, {"Field": "readOnly", "NotEquals": ["false"]}]}
            ]
        },
        (True, "ReadOnly", []),
    ),
    (
        {
            "AdvancedEventSelectors": [
                {"FieldSelectors": [{"Field": "eventCategory", "Equals": ["Data"]}]}
            ]
        },
        (False, None, []),
    ),
    (
        {
            "AdvancedEventSelectors": [
                {
                    "Name": "no-kms",
                    "FieldSelectors": [
                        MGMT,
                        {"Field": "eventSource", "NotEquals": ["kms.amazonaws.com"]},
                    ],
                }
            ]
        },
        (True, "All", ["selector no-kms: eventSource {'NotEquals': ['kms.amazonaws.com']}"]),
    ),
]


@pytest.mark.parametrize(("answer", "expected"), TABLE)
def test_management_events_over_every_selector(
    answer: dict[str, Any], expected: tuple[bool | None, str | None, list[str]]
) -> None:
    assert management_events(answer) == expected


def _summary(**status: Any) -> CloudTrailSummary:
    trail = TrailStatus(arn="arn:t", name="main", home_region="us-east-1", **status)
    return CloudTrailSummary(account_id="123456789012", trails=[trail])


def test_unknown_logging_or_selectors_is_an_error_not_a_fail() -> None:
    with pytest.raises(RuntimeError, match="IsLogging missing"):
        aws_cloudtrail_multi_region(_summary(management_events=True, read_write_type="All"))
    with pytest.raises(RuntimeError, match="gave no selectors for main"):
        aws_cloudtrail_multi_region(_summary(is_logging=True))
    aws_cloudtrail_multi_region(
        _summary(is_logging=True, management_events=True, read_write_type="All")
    )
    with pytest.raises(AssertionError, match="only part of the management events"):
        aws_cloudtrail_multi_region(
            _summary(
                is_logging=True,
                management_events=True,
                read_write_type="All",
                management_filters=["excludes kms.amazonaws.com"],
            )
        )
