"""aws.config.recorder called as a plain function: missing fields are errors, not verdicts."""

from __future__ import annotations

from typing import Any

import pytest

from soc2checks_aws.models import ConfigRecorder, ConfigRecorders
from soc2checks_controls.configuration_monitoring import aws_config_recorder


def _region(channels: tuple[str, ...] = ("default",), **recorder: Any) -> ConfigRecorders:
    return ConfigRecorders(
        account_id="123456789012",
        region="us-east-1",
        recorders=[ConfigRecorder(name="default", **recorder)],
        delivery_channels=list(channels),
    )


def test_recorder_that_does_not_say_what_it_records_is_an_error() -> None:
    with pytest.raises(RuntimeError, match="allSupported missing"):
        aws_config_recorder(_region(recording=True))


def test_strategy_all_supported_counts_without_the_flag() -> None:
    aws_config_recorder(_region(recording=True, recording_strategy="ALL_SUPPORTED_RESOURCE_TYPES"))


def test_exclusions_must_cover_every_excluded_type() -> None:
    region = _region(
        recording=True,
        all_supported=False,
        recording_strategy="EXCLUSION_BY_RESOURCE_TYPES",
        excluded_types=["AWS::EC2::NetworkInterface", "AWS::IAM::User"],
    )
    with pytest.raises(AssertionError, match="not in the exclusions parameter: AWS::IAM::User"):
        aws_config_recorder(region, exclusions=["AWS::EC2::NetworkInterface"])
    aws_config_recorder(region, exclusions=["AWS::EC2::NetworkInterface", "AWS::IAM::User"])


def test_no_delivery_channel_fails() -> None:
    with pytest.raises(AssertionError, match="no delivery channel"):
        aws_config_recorder(_region((), recording=True, all_supported=True))
