"""Encryption in transit: data moves only over TLS.

Data in transmission must be protected against interception (CC6.7).
"""

from __future__ import annotations

from soc2checks import control
from soc2checks_aws.models import S3BucketPolicy, raise_if_error
from soc2checks_azure.models import StorageAccount
from soc2checks_controls._policy import denies_insecure_transport
from soc2checks_gcp.models import SqlInstance

encryption_in_transit = control("encryption-in-transit", criteria=["CC6.7"])

# Checks for every provider sit side by side below, grouped by provider.


# --- aws ---


@encryption_in_transit.check(
    "aws.s3.tls-only",
    over="aws_s3_bucket_policies",
    severity="medium",
    remediation=(
        'Add a bucket policy statement with Effect Deny, Principal "*", Action "s3:*", '
        'both the bucket and its objects ("arn:aws:s3:::<bucket>" and '
        '"arn:aws:s3:::<bucket>/*") as Resource, and Condition {"Bool": '
        '{"aws:SecureTransport": "false"}}.'
    ),
)
def aws_s3_tls_only(bucket: S3BucketPolicy) -> None:
    """S3 bucket policies deny requests that do not use TLS, to the bucket and every object.

    A deny covering only the bucket ARN (not ``/*``) or only some objects does not pass.
    """
    raise_if_error(bucket)
    assert bucket.policy is not None, (
        f"bucket {bucket.name} has no bucket policy, so requests without TLS are allowed"
    )
    assert denies_insecure_transport(bucket.policy, bucket.name), (
        f"the policy of bucket {bucket.name} does not deny requests without TLS "
        "(aws:SecureTransport false) to both the bucket and all its objects"
    )


# --- gcp ---

_GCP_SSL_MODES = ("ENCRYPTED_ONLY", "TRUSTED_CLIENT_CERTIFICATE_REQUIRED")


@encryption_in_transit.check(
    "gcp.sql.require-ssl",
    over="gcp_sql_instances",
    severity="high",
    remediation=(
        "Set the instance's SSL mode to ENCRYPTED_ONLY or TRUSTED_CLIENT_CERTIFICATE_REQUIRED "
        "(gcloud sql instances patch INSTANCE --ssl-mode=ENCRYPTED_ONLY)."
    ),
)
def gcp_sql_require_ssl(instance: SqlInstance) -> None:
    """Cloud SQL instances accept only encrypted connections (sslMode, or legacy requireSsl)."""
    if instance.ssl_mode is not None and instance.ssl_mode != "SSL_MODE_UNSPECIFIED":
        assert instance.ssl_mode in _GCP_SSL_MODES, (
            f"Cloud SQL instance {instance.name} allows unencrypted connections "
            f"(sslMode {instance.ssl_mode})"
        )
        return
    if instance.require_ssl is None:
        raise LookupError(f"Google did not return sslMode or requireSsl for {instance.name}")
    assert instance.require_ssl, f"Cloud SQL instance {instance.name} does not require SSL"


# --- azure ---

_AZURE_TLS_ORDER = {"TLS1_0": 0, "TLS1_1": 1, "TLS1_2": 2, "TLS1_3": 3}


@encryption_in_transit.check(
    "azure.storage.https-only",
    over="azure_storage_accounts",
    severity="high",
    remediation="Set 'Secure transfer required' (supportsHttpsTrafficOnly) on the storage account.",
)
def azure_storage_https_only(account: StorageAccount) -> None:
    """Storage accounts accept HTTPS only."""
    if account.https_only is None:
        raise LookupError(f"Azure did not return supportsHttpsTrafficOnly for {account.name}")
    assert account.https_only, f"storage account {account.name} accepts plain HTTP"


@encryption_in_transit.check(
    "azure.storage.min-tls",
    over="azure_storage_accounts",
    severity="medium",
    remediation="Set the storage account's minimum TLS version to TLS1_2.",
)
def azure_storage_min_tls(account: StorageAccount) -> None:
    """Storage accounts refuse TLS below 1.2."""
    if account.minimum_tls_version is None:
        raise LookupError(f"Azure did not return minimumTlsVersion for {account.name}")
    level = _AZURE_TLS_ORDER.get(account.minimum_tls_version)
    if level is None:
        raise ValueError(f"unknown minimumTlsVersion {account.minimum_tls_version!r}")
    assert level >= 2, (
        f"storage account {account.name} accepts {account.minimum_tls_version} (minimum TLS1_2)"
    )
