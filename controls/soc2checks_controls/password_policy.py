"""Password policy: passwords are long and not reused.

Where passwords remain, a policy sets their minimum strength and forbids reuse.
"""

from __future__ import annotations

from soc2checks import control
from soc2checks_aws.models import PasswordPolicy

password_policy = control("password-policy", criteria=["CC6.1"])

# Checks for every provider sit side by side below, grouped by provider.


# --- aws ---


@password_policy.check(
    "aws.iam.password-policy",
    over="aws_password_policy",
    severity="medium",
    remediation=(
        "Set an account password policy, for example `aws iam "
        "update-account-password-policy --minimum-password-length 14 "
        "--password-reuse-prevention 24` (plus the character rules your policy requires)."
    ),
)
def aws_password_policy(
    policy: PasswordPolicy, min_length: int = 14, reuse_prevention: int = 24
) -> None:
    """The IAM password policy requires long passwords and prevents reuse.

    Passes when a policy exists with a minimum length of at least ``min_length`` and
    reuse prevention of at least ``reuse_prevention`` previous passwords.
    """
    assert policy.exists, f"account {policy.account_id} has no IAM password policy"
    problems = []
    if (policy.minimum_length or 0) < min_length:
        problems.append(f"minimum length {policy.minimum_length or 0} < {min_length}")
    if (policy.password_reuse_prevention or 0) < reuse_prevention:
        problems.append(
            f"reuse prevention {policy.password_reuse_prevention or 0} < {reuse_prevention}"
        )
    assert not problems, (
        f"the IAM password policy of account {policy.account_id} is too weak: "
        + "; ".join(problems)
    )
