"""Benchmark: an AWS Organization of N member accounts, local thread pool against Dask.

A moto server in this process holds an Organization (the management account and N
members, each with 3 buckets and 2 users, reached through ``sts:AssumeRole`` on
``OrganizationAccountAccessRole`` as tests/aws/test_organization.py does). Each run is
a child process (the coordinator) running the AWS checks with ``accounts =
"organization"``: the local thread pool, then a Dask ``LocalCluster`` of 1 and 2
worker processes. Reported per run: wall time, requests at the server, the
coordinator's peak RSS (``VmHWM``; a LocalCluster's scheduler runs in the coordinator,
its workers are separate processes and not included) and findings per second.

    python benchmarks/scale/bench_scale.py --accounts 30,60,100
    python benchmarks/scale/bench_scale.py --accounts 30 --executors local,dask:2
"""

from __future__ import annotations

import argparse
import importlib
import json
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
ROLE = "OrganizationAccountAccessRole"
CHECKS = ["aws.iam.*", "aws.s3.*", "aws.ec2.ebs-default-encryption"]


def _client(service: str, endpoint: str, **kwargs: Any) -> Any:
    boto3: Any = importlib.import_module("boto3")
    return boto3.client(service, region_name=REGION, endpoint_url=endpoint, **kwargs)


def seed(endpoint: str, members: int) -> list[str]:
    """An Organization of ``members`` accounts, each with 3 buckets and 2 users."""
    org = _client("organizations", endpoint)
    org.create_organization(FeatureSet="ALL")
    ids = [
        org.create_account(AccountName=f"member-{i}", Email=f"m{i}@example.com")[
            "CreateAccountStatus"
        ]["AccountId"]
        for i in range(members)
    ]
    sts = _client("sts", endpoint)

    def fill(account: str) -> None:
        creds = sts.assume_role(
            RoleArn=f"arn:aws:iam::{account}:role/{ROLE}", RoleSessionName="seed"
        )["Credentials"]
        keys = {
            "aws_access_key_id": creds["AccessKeyId"],
            "aws_secret_access_key": creds["SecretAccessKey"],
            "aws_session_token": creds["SessionToken"],
        }
        s3 = _client("s3", endpoint, **keys)
        iam = _client("iam", endpoint, **keys)
        for b in range(3):
            name = f"bench-{account}-{b}"
            s3.create_bucket(Bucket=name)
            if b == 0:
                s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
        for u in range(2):
            iam.create_user(UserName=f"user-{u}")
            if u == 0:
                iam.create_login_profile(UserName="user-0", Password="Bench-Password-123")

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(fill, ids))
    return ids


def _peak_rss_kib() -> int:
    """This process's peak RSS (``VmHWM``: ``ru_maxrss`` survives ``exec`` on Linux)."""
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

    result = soc2checks.run(checks=CHECKS, providers=["aws"], config=config)
    wall = time.perf_counter() - t0
    accounts = {f.scope.get("account") for f in result.findings}
    print(
        json.dumps(
            {
                "wall_s": round(wall, 2),
                "peak_rss_mb": round(_peak_rss_kib() / 1024, 1),
                "findings": len(result.findings),
                "accounts": len(accounts),
                "summary": result.summary.as_dict(),
            }
        )
    )


def _config(tmp: Path, executor: str) -> Path:
    text = f'[aws]\nregions = ["{REGION}"]\naccounts = "organization"\n'
    if executor.startswith("dask:"):
        text += f'[executor]\nkind = "dask"\nworkers = {int(executor.split(":")[1])}\n'
    path = tmp / f"soc2checks-{executor.replace(':', '-')}.toml"
    path.write_text(text)
    return path


def measure(members: int, executors: list[str]) -> list[dict[str, Any]]:
    from soc2checks.testing.aws import MotoServer

    for k, v in {
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "AWS_DEFAULT_REGION": REGION,
    }.items():
        os.environ.setdefault(k, v)
    out = []
    with (
        MotoServer(load_aws_managed_policies=False) as server,
        tempfile.TemporaryDirectory() as tmp,
    ):
        server.reset()
        seed(server.endpoint_url, members)
        for executor in executors:
            server.reset_counts()
            t0 = time.perf_counter()
            proc = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--child",
                    server.endpoint_url,
                    str(_config(Path(tmp), executor)),
                ],
                capture_output=True,
                text=True,
                check=False,
            )
            if proc.returncode != 0:
                raise SystemExit(f"{executor} at {members} accounts failed:\n{proc.stderr}")
            stats: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
            stats.update(
                members=members,
                executor=executor,
                process_wall_s=round(time.perf_counter() - t0, 2),
                requests=sum(server.counts.values()),
            )
            stats["findings_per_s"] = round(stats["findings"] / max(stats["wall_s"], 0.01))
            out.append(stats)
            print(json.dumps(stats), file=sys.stderr, flush=True)
    return out


def report(runs: list[dict[str, Any]]) -> str:
    lines = [
        "| members | executor | wall s | requests | coordinator peak RSS MB | findings | "
        "findings/s | accounts judged |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in runs:
        lines.append(
            f"| {r['members']} | {r['executor']} | {r['wall_s']} | {r['requests']} | "
            f"{r['peak_rss_mb']} | {r['findings']} | {r['findings_per_s']} | {r['accounts']} |"
        )
    return "\n".join(lines)


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
        return
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--accounts", default="30,60,100", help="member counts, comma-separated")
    parser.add_argument(
        "--executors", default="local,dask:1,dask:2", help="local and/or dask:WORKERS"
    )
    parser.add_argument("--json", action="store_true", help="print raw figures as JSON")
    args = parser.parse_args()
    executors = args.executors.split(",")
    runs = [r for n in args.accounts.split(",") for r in measure(int(n), executors)]
    print(json.dumps(runs, indent=2) if args.json else report(runs))


if __name__ == "__main__":
    main()
