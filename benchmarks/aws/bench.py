"""Benchmark: every AWS check against a moto server seeded with N buckets and M users.

The moto server runs in this process and counts HTTP requests per API operation; the
checks run in a child process (``soc2checks.run``), so wall time and peak memory are
the tool's own. A second run at half size shows how requests and time grow.

    python benchmarks/aws/bench.py                      # 1000 buckets, 500 users
    python benchmarks/aws/bench.py --buckets 200 --users 100 --no-half
"""

from __future__ import annotations

import argparse
import importlib
import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

REGION = "us-east-1"


def _client(service: str, endpoint: str) -> Any:
    boto3: Any = importlib.import_module("boto3")
    return boto3.client(service, region_name=REGION, endpoint_url=endpoint)


def seed(endpoint: str, buckets: int, users: int) -> None:
    """N buckets (a mix of settings) and M users (a mix of password, MFA and keys)."""
    s3 = _client("s3", endpoint)
    iam = _client("iam", endpoint)

    def bucket(i: int) -> None:
        name = f"bench-bucket-{i:05d}"
        s3.create_bucket(Bucket=name)
        if i % 3 == 0:
            s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
        if i % 4 == 0:
            s3.put_bucket_encryption(
                Bucket=name,
                ServerSideEncryptionConfiguration={
                    "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
                },
            )
        if i % 5 == 0:
            s3.put_bucket_policy(
                Bucket=name,
                Policy=json.dumps(
                    {
                        "Version": "2012-10-17",
                        "Statement": [
                            {
                                "Effect": "Deny",
                                "Principal": "*",
                                "Action": "s3:*",
                                "Resource": [f"arn:aws:s3:::{name}", f"arn:aws:s3:::{name}/*"],
                                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                            }
                        ],
                    }
                ),
            )

    groups = max(1, users // 50)
    for g in range(groups):  # users get their policies through groups, as most do
        iam.create_group(GroupName=f"bench-group-{g:03d}")
        iam.put_group_policy(
            GroupName=f"bench-group-{g:03d}",
            PolicyName="read",
            PolicyDocument=json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [{"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}],
                }
            ),
        )

    def user(i: int) -> None:
        name = f"bench-user-{i:05d}"
        iam.create_user(UserName=name)
        iam.add_user_to_group(GroupName=f"bench-group-{i % groups:03d}", UserName=name)
        if i % 2 == 0:
            iam.create_login_profile(UserName=name, Password="Bench-Password-123")
        if i % 3 == 0:
            iam.create_access_key(UserName=name)

    with ThreadPoolExecutor(16) as pool:
        list(pool.map(bucket, range(buckets)))
        list(pool.map(user, range(users)))


def server_floor(endpoint: str, buckets: int) -> float:
    """Seconds per request moto takes at this size: plain boto3, 16 threads, no soc2checks.

    A reference for the run's wall time: moto serves requests under one GIL, so a run
    takes roughly its request count times this figure, and moto's cost per request
    itself grows with the number of objects it holds.
    """
    botocore_config: Any = importlib.import_module("botocore.config")
    boto3: Any = importlib.import_module("boto3")
    s3 = boto3.client(
        "s3",
        region_name=REGION,
        endpoint_url=endpoint,
        config=botocore_config.Config(max_pool_connections=16),
    )
    names = [f"bench-bucket-{i:05d}" for i in range(buckets)]
    t0 = time.perf_counter()
    with ThreadPoolExecutor(16) as pool:
        list(pool.map(lambda n: s3.get_bucket_versioning(Bucket=n), names))
    return (time.perf_counter() - t0) / max(1, len(names))


def minimum_requests(buckets: int, users: int) -> dict[str, int]:
    """The fewest requests every AWS check needs for this estate (one account, one region).

    One call per account-wide list or report, one per bucket attribute judged
    (policy, ACL, public-access block, encryption, versioning, tags and lifecycle for
    ``aws.s3.lifecycle-expiration``), nothing per user or group (the credential report
    and one authorization-details listing, pages of 1,000, cover them all; moto answers
    it in one page). Per-region services are empty here
    except the default VPC's security group.
    """
    del users  # no per-user call is needed: that is the point of the credential report
    return {
        "sts:GetCallerIdentity": 1,
        "iam:GenerateCredentialReport": 1,
        "iam:GetCredentialReport": 1,
        "iam:GetAccountSummary": 1,
        "iam:GetAccountPasswordPolicy": 1,
        "iam:GetAccountAuthorizationDetails": 1,
        "s3:ListBuckets": max(1, math.ceil(buckets / 10000)),
        "s3control:GetPublicAccessBlock": 1,
        "s3:GetBucketPolicy": buckets,
        "s3:GetBucketAcl": buckets,
        "s3:GetPublicAccessBlock": buckets,
        "s3:GetBucketEncryption": buckets,
        "s3:GetBucketVersioning": buckets,
        "s3:GetBucketTagging": buckets,
        "s3:GetBucketLifecycle": buckets,
        "ec2:GetEbsEncryptionByDefault": 1,
        "ec2:DescribeVolumes": 1,
        "ec2:DescribeSecurityGroups": 1,
        "rds:DescribeDBInstances": 1,
        "dynamodb:ListTables": 1,
        "kms:ListKeys": 1,
        "cloudtrail:DescribeTrails": 1,
        "config:DescribeConfigurationRecorders": 1,
        "guardduty:ListDetectors": 1,
        "securityhub:DescribeHub": 1,
        "logs:DescribeLogGroups": 1,
        "monitoring:DescribeAlarms": 1,
        "autoscaling:DescribeAutoScalingGroups": 1,
    }


def _peak_rss_kib() -> int:
    """This process's peak resident set size. On Linux ``ru_maxrss`` survives ``exec``
    (it would include the parent's memory at fork time), so read ``VmHWM`` instead."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def child(endpoint: str, config: str) -> None:
    os.environ["AWS_ENDPOINT_URL"] = endpoint
    t0 = time.perf_counter()
    import soc2checks

    result = soc2checks.run(checks=["aws.*"], providers=["aws"], config=config)
    wall = time.perf_counter() - t0
    peak_kib = _peak_rss_kib()
    print(
        json.dumps(
            {
                "wall_s": round(wall, 2),
                "peak_rss_mb": round(peak_kib / 1024, 1),
                "summary": result.summary.as_dict(),
            }
        )
    )


def measure(buckets: int, users: int) -> dict[str, Any]:
    from soc2checks.testing.aws import MotoServer

    os.environ.setdefault("AWS_ACCESS_KEY_ID", "bench")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "bench")
    os.environ.setdefault("AWS_DEFAULT_REGION", REGION)
    with (
        MotoServer(load_aws_managed_policies=False) as server,
        tempfile.TemporaryDirectory() as tmp,
    ):
        server.reset()  # moto's backends are per process: start from an empty estate
        t0 = time.perf_counter()
        seed(server.endpoint_url, buckets, users)
        seeded = time.perf_counter() - t0
        config = Path(tmp) / "soc2checks.toml"
        config.write_text(f'[aws]\nregions = ["{REGION}"]\nmax_workers = 16\n')
        server.reset_counts()
        t0 = time.perf_counter()
        out = subprocess.run(
            [sys.executable, __file__, "--child", server.endpoint_url, str(config)],
            capture_output=True,
            text=True,
            check=True,
        )
        process_wall = time.perf_counter() - t0
        counts = server.counts
        floor = server_floor(server.endpoint_url, buckets)
    stats: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    stats.update(
        buckets=buckets,
        users=users,
        seed_s=round(seeded, 1),
        process_wall_s=round(process_wall, 2),
        counts=dict(sorted(counts.items())),
        server_ms_per_request=round(floor * 1000, 2),
    )
    return stats


def report(runs: list[dict[str, Any]]) -> str:
    lines = []
    ops = sorted({op for r in runs for op in r["counts"]} | set(minimum_requests(1, 1)))
    header = "| operation |" + "".join(
        f" {r['buckets']}b/{r['users']}u: requests | minimum |" for r in runs
    )
    lines.append(header)
    lines.append("|---|" + "---|---|" * len(runs))
    for op in ops:
        row = f"| {op} |"
        for r in runs:
            mins = minimum_requests(r["buckets"], r["users"])
            row += f" {r['counts'].get(op, 0)} | {mins.get(op, 0)} |"
        lines.append(row)
    lines.append("")
    for r in runs:
        total = sum(r["counts"].values())
        minimum = sum(minimum_requests(r["buckets"], r["users"]).values())
        lines.append(
            f"- {r['buckets']} buckets, {r['users']} users: {total} requests "
            f"(minimum {minimum}, ratio {total / minimum:.3f}); run {r['wall_s']} s "
            f"(process incl. start-up {r['process_wall_s']} s); moto reference "
            f"{r['server_ms_per_request']} ms per request at this size (x requests = "
            f"{total * r['server_ms_per_request'] / 1000:.1f} s); peak RSS {r['peak_rss_mb']} MB; "
            f"findings {r['summary']}"
        )
    if len(runs) == 2:
        big, small = runs
        grow = sum(big["counts"].values()) / sum(small["counts"].values())
        per_request_growth = big["server_ms_per_request"] / small["server_ms_per_request"]
        lines.append(
            f"- growth from half size: requests x{grow:.2f}, "
            f"run time x{big['wall_s'] / max(small['wall_s'], 0.01):.2f}, "
            f"moto time per request x{per_request_growth:.2f}"
        )
    return "\n".join(lines)


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--buckets", type=int, default=1000)
    parser.add_argument("--users", type=int, default=500)
    parser.add_argument("--no-half", action="store_true", help="skip the half-size run")
    parser.add_argument("--json", action="store_true", help="print raw figures as JSON")
    args = parser.parse_args()
    runs = [measure(args.buckets, args.users)]
    if not args.no_half:
        runs.append(measure(args.buckets // 2, args.users // 2))
    print(json.dumps(runs, indent=2) if args.json else report(runs))


if __name__ == "__main__":
    main()
