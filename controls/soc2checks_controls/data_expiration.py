"""Data expiration: confidential and personal data in storage expires on schedule.

Disposing of confidential information when its retention ends is C1.2; an expiration
rule on the buckets that hold it shows the disposal happens without a manual step.
"""

from __future__ import annotations

from soc2checks import control, skip
from soc2checks_aws.models import raise_if_error
from soc2checks_aws.models_lifecycle import S3BucketLifecycle

data_expiration = control("data-expiration", criteria=["C1.2"])

# Checks for every provider sit side by side below, grouped by provider.

# --- aws ---

SENSITIVE_TAG_KEYS = ("classification", "data-classification", "data_classification")
SENSITIVE_TAG_VALUES = ("confidential", "personal", "pii", "restricted")


@data_expiration.check(
    "aws.s3.lifecycle-expiration",
    over="aws_s3_bucket_lifecycle",
    severity="medium",
    remediation=(
        "Add an enabled lifecycle rule with an Expiration action matching the retention "
        "schedule (`aws s3api put-bucket-lifecycle-configuration`)."
    ),
)
def aws_s3_lifecycle_expiration(
    bucket: S3BucketLifecycle,
    tag_keys: tuple[str, ...] = SENSITIVE_TAG_KEYS,
    tag_values: tuple[str, ...] = SENSITIVE_TAG_VALUES,
) -> None:
    """Buckets tagged as holding confidential or personal data have an expiration rule.

    A bucket is in scope when one of ``tag_keys`` has one of ``tag_values`` (case
    insensitive); other buckets are skipped. An enabled rule with an ``Expiration``
    (days or date) passes; a rule limited by a filter counts too, since the schedule may
    apply per prefix.
    """
    raise_if_error(bucket)
    keys = {k.lower() for k in tag_keys}
    values = {v.lower() for v in tag_values}
    label = next(
        (
            f"{k}={v}"
            for k, v in sorted(bucket.tags.items())
            if k.lower() in keys and v.strip().lower() in values
        ),
        None,
    )
    if label is None:
        skip(f"bucket {bucket.name} is not tagged as confidential or personal data")
    expiring = [
        r
        for r in bucket.rules
        if r.enabled and (r.expiration_days is not None or r.expiration_date is not None)
    ]
    assert expiring, (
        f"bucket {bucket.name} ({label}) has no enabled lifecycle rule that expires objects"
    )
