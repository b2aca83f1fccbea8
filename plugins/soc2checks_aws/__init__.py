"""soc2checks AWS provider: fetches IAM, S3, EC2, RDS, DynamoDB, KMS, CloudTrail,
Config, GuardDuty, Security Hub and CloudWatch Logs resources as typed models.

Install with ``pip install 'soc2checks[aws]'``. boto3 is imported lazily, only
when a fixture first builds a client; importing this module makes no API call.
"""

from __future__ import annotations

import argparse
import importlib
from types import ModuleType

from soc2checks import Provider, hookimpl
from soc2checks_aws.permissions import render_policy
from soc2checks_aws.settings import AwsSettings

FIXTURE_MODULES = (
    "scopes",
    "iam",
    "s3",
    "ec2",
    "rds",
    "dynamodb",
    "kms",
    "cloudtrail",
    "configservice",
    "guardduty",
    "securityhub",
    "logs",
    "cloudwatch",
)

__all__ = ["FIXTURE_MODULES", "AwsSettings", "render_policy"]


@hookimpl
def soc2checks_register_providers() -> list[Provider]:
    return [
        Provider(
            name="aws",
            title="Amazon Web Services",
            settings=AwsSettings,
            requires=("boto3",),
            extra="aws",
            render_permissions=render_policy,
        )
    ]


@hookimpl
def soc2checks_register_resources() -> list[ModuleType]:
    return [importlib.import_module(f"{__name__}.{name}") for name in FIXTURE_MODULES]


@hookimpl
def soc2checks_addoption(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("aws")
    group.add_argument(
        "--profile",
        dest="aws_profile",
        metavar="NAME",
        help="AWS: the named profile of ~/.aws/config to use (default: standard chain)",
    )
    group.add_argument(
        "--region",
        dest="aws_regions",
        action="append",
        metavar="REGION",
        help="AWS: a region to check (repeatable; default: the [aws] regions, else all enabled)",
    )
