"""Models of bucket lifecycle rules and of capacity monitoring (alarms, Auto Scaling).

Kept apart from :mod:`soc2checks_aws.models` (already past 400 lines); plain pydantic,
no SDK, so control modules import them freely.
"""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from soc2checks_aws.models import AwsModel, S3BucketAttr


class LifecycleRule(AwsModel):
    id: str = ""
    enabled: bool
    prefix: str = ""
    """The rule's prefix filter (``""``: the whole bucket)."""
    filtered: bool = False
    """True when the rule is limited by a prefix, tag or size filter."""
    expiration_days: int | None = None
    expiration_date: dt.date | None = None
    noncurrent_expiration_days: int | None = None


class S3BucketLifecycle(S3BucketAttr):
    """A bucket's tags and lifecycle rules (empty when it has none)."""

    tags: dict[str, str] = Field(default_factory=dict)
    rules: list[LifecycleRule] = Field(default_factory=list)


class MetricAlarm(AwsModel):
    account_id: str
    region: str
    name: str
    arn: str
    namespace: str = ""
    metric: str = ""
    actions_enabled: bool = True
    alarm_actions: list[str] = Field(default_factory=list)

    @property
    def resource_id(self) -> str:
        return self.arn


class AutoScalingGroup(AwsModel):
    account_id: str
    region: str
    name: str
    arn: str
    min_size: int = 0
    max_size: int = 0
    scaling_policies: list[str] = Field(default_factory=list)
    """Names of the group's scaling policies (target tracking, step, simple, predictive)."""

    @property
    def resource_id(self) -> str:
        return self.arn
