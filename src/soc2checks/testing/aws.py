"""A simulated AWS estate for tests, the demo and plugin authors: moto over loopback.

:class:`MotoServer` runs moto's server app in a thread on ``127.0.0.1`` (a free port)
and counts the requests it receives per API operation, at the server, so a test or
benchmark can assert how many calls a run made::

    from soc2checks.testing.aws import MotoServer, seed_demo_estate

    with MotoServer() as server:
        seed_demo_estate(server.endpoint_url)
        server.reset_counts()
        ...  # run checks with AWS_ENDPOINT_URL=server.endpoint_url
        print(server.counts)  # Counter({"s3:GetBucketPolicy": 12, ...})

:func:`seed_demo_estate` creates, through boto3, a small company with some good and
some bad resources for every AWS check. Needs ``pip install 'soc2checks[demo]'``
(moto with its server extra, and boto3).
"""

from __future__ import annotations

import importlib
import io
import json
import os
import re
import threading
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qs

__all__ = ["DEMO_ACCOUNT_ID", "DEMO_REGION", "MotoServer", "operation_of", "seed_demo_estate"]

DEMO_ACCOUNT_ID = "123456789012"  # moto's default account
DEMO_REGION = "us-east-1"

_CREDENTIAL_SCOPE = re.compile(r"Credential=[^/]+/\d{8}/([^/]+)/([^/]+)/aws4_request")


@lru_cache(maxsize=64)
def _rest_routes(service: str) -> tuple[tuple[str, re.Pattern[str], frozenset[str], str], ...]:
    """(method, path regex, required query keys, operation) of a REST service, specific first."""
    try:
        import botocore.session

        model = botocore.session.get_session().get_service_model(service)
    except Exception:
        return ()
    routes: list[tuple[int, int, str, re.Pattern[str], frozenset[str], str]] = []
    for name in model.operation_names:
        http = model.operation_model(name).http
        uri = str(http.get("requestUri", "/"))
        path, _, query = uri.partition("?")
        pattern = ""
        for part in re.split(r"(\{[^}]+\})", path):
            if part.startswith("{"):
                pattern += ".+" if part.endswith("+}") else "[^/]+"
            else:
                pattern += re.escape(part)
        keys = frozenset(q.split("=")[0] for q in query.split("&") if q)
        literal = len(re.sub(r"\{[^}]+\}", "", path))
        regex = re.compile(f"^{pattern.rstrip('/') or ''}/?$")
        routes.append((len(keys), literal, str(http.get("method", "GET")), regex, keys, name))
    routes.sort(key=lambda r: (-r[0], -r[1]))
    return tuple((m, rx, keys, name) for _, _, m, rx, keys, name in routes)


def operation_of(environ: dict[str, Any], body: bytes) -> str:
    """``service:Operation`` of one WSGI request to moto (best effort, never raises)."""
    path = environ.get("PATH_INFO", "") or "/"
    if path.startswith("/moto-api"):
        return "moto-api"
    auth = environ.get("HTTP_AUTHORIZATION", "")
    match = _CREDENTIAL_SCOPE.search(auth)
    signing = match.group(2) if match else "unknown"
    target = environ.get("HTTP_X_AMZ_TARGET", "")
    if target:
        return f"{signing}:{target.rsplit('.', 1)[-1]}"
    query = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
    action = query.get("Action")
    if not action and "x-www-form-urlencoded" in environ.get("CONTENT_TYPE", ""):
        action = parse_qs(body.decode("utf-8", "replace")).get("Action")
    if action:
        return f"{signing}:{action[0]}"
    service = signing
    if signing == "s3" and path.startswith("/v20180820"):
        service = "s3control"
    method = environ.get("REQUEST_METHOD", "GET")
    for m, regex, keys, name in _rest_routes(service):
        if m == method and regex.match(path) and keys <= query.keys():
            return f"{service}:{name}"
    return f"{service}:{method} {path}"


class _Fault:
    def __init__(self, status: int, code: str, message: str, times: int, body: bytes | None):
        self.status = status
        self.code = code
        self.message = message
        self.remaining = times
        self.body = body

    def response(self, environ: dict[str, Any]) -> tuple[str, list[tuple[str, str]], bytes]:
        status = f"{self.status} Injected"
        if self.body is not None:
            return status, [("Content-Type", "application/octet-stream")], self.body
        if environ.get("HTTP_X_AMZ_TARGET") or "json" in environ.get("CONTENT_TYPE", ""):
            payload = json.dumps({"__type": self.code, "message": self.message}).encode()
            headers = [("Content-Type", "application/x-amz-json-1.1")]
            return status, [*headers, ("x-amzn-ErrorType", self.code)], payload
        xml = f"<Error><Code>{self.code}</Code><Message>{self.message}</Message></Error>"
        if "Action=" in environ.get("QUERY_STRING", "") or environ.get("REQUEST_METHOD") == "POST":
            xml = f"<ErrorResponse>{xml}<RequestId>injected</RequestId></ErrorResponse>"
        return status, [("Content-Type", "text/xml")], xml.encode()


class _Counting:
    """WSGI middleware counting requests per operation before moto handles them."""

    def __init__(self, app: Callable[..., Any]) -> None:
        self.app = app
        self.counts: Counter[str] = Counter()
        self.lock = threading.Lock()
        self.faults: dict[str, _Fault] = {}

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        body = b""
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length:
            body = environ["wsgi.input"].read(length)
            environ["wsgi.input"] = io.BytesIO(body)
        op = operation_of(environ, body)
        fault = None
        if op != "moto-api":
            with self.lock:
                self.counts[op] += 1
                fault = self.faults.get(op)
                if fault is not None:
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        del self.faults[op]
        if fault is not None:
            status, headers, payload = fault.response(environ)
            start_response(status, [*headers, ("Content-Length", str(len(payload)))])
            return [payload]
        return self.app(environ, start_response)


class MotoServer:
    """moto's server on ``127.0.0.1`` in a daemon thread, counting requests per operation.

    moto keeps its state per process: two servers in one process share every account,
    and :meth:`reset` empties them all.
    """

    def __init__(
        self, host: str = "127.0.0.1", port: int = 0, *, load_aws_managed_policies: bool = True
    ) -> None:
        self.host = host
        self.port = port
        self.load_aws_managed_policies = load_aws_managed_policies
        self._server: Any = None
        self._thread: threading.Thread | None = None
        self._app: _Counting | None = None

    @property
    def endpoint_url(self) -> str:
        if self._server is None:
            raise RuntimeError("MotoServer is not started")
        return f"http://{self.host}:{self._server.server_port}"

    def start(self) -> MotoServer:
        """Start serving (a free port unless one was given); returns ``self``."""
        if self._server is not None:
            return self
        from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
        from werkzeug.serving import WSGIRequestHandler, make_server

        class _Quiet(WSGIRequestHandler):
            def log_request(self, *args: Any, **kwargs: Any) -> None:
                pass

        self._app = _Counting(DomainDispatcherApplication(create_backend_app))
        self._server = make_server(
            self.host, self.port, self._app, threaded=True, request_handler=_Quiet
        )
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="moto-server", daemon=True
        )
        self._thread.start()
        self.set_aws_managed_policies(self.load_aws_managed_policies)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._server = None
        self._thread = None

    def __enter__(self) -> MotoServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _post(self, path: str, data: bytes = b"", content_type: str = "text/plain") -> bytes:
        request = urllib.request.Request(
            self.endpoint_url + path,
            data=data,
            method="POST",
            headers={"Content-Type": content_type},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return bytes(response.read())

    def reset(self) -> None:
        """Forget every resource in every account (moto's reset API), counts and faults."""
        self._post("/moto-api/reset")
        self.reset_counts()
        if self._app is not None:
            with self._app.lock:
                self._app.faults.clear()

    def inject_fault(
        self,
        operation: str,
        *,
        times: int = 1,
        status: int = 400,
        code: str = "Throttling",
        message: str = "Rate exceeded",
        body: bytes | None = None,
    ) -> None:
        """Answer the next ``times`` requests of ``operation`` (``"s3:GetBucketPolicy"``)
        with an error instead of passing them to moto: throttling, a 500, or a
        malformed ``body``. The requests are counted all the same."""
        if self._app is None:
            raise RuntimeError("MotoServer is not started")
        with self._app.lock:
            self._app.faults[operation] = _Fault(status, code, message, times, body)

    def set_aws_managed_policies(self, enabled: bool) -> None:
        """Whether accounts created from now on (or by :meth:`reset`) hold AWS-managed
        policies such as ``AdministratorAccess``, as real accounts do (about 0.2 s per
        account). moto's own user config, which its config API does not expose for IAM;
        the server runs in this process, so it is set directly (no environment change)."""
        moto_settings: Any = importlib.import_module("moto.settings")
        moto_settings.default_user_config.setdefault("iam", {})["load_aws_managed_policies"] = (
            enabled
        )

    def set_iam_enforcement(self, enabled: bool) -> None:
        """Make moto check IAM policies (and signatures) for every request, or stop."""
        self._post("/moto-api/reset-auth", b"0" if enabled else b"inf")

    @property
    def counts(self) -> Counter[str]:
        """Requests received per ``service:Operation`` since the last reset (a copy)."""
        if self._app is None:
            return Counter()
        with self._app.lock:
            return Counter(self._app.counts)

    def reset_counts(self) -> None:
        if self._app is not None:
            with self._app.lock:
                self._app.counts.clear()


# -- the demo estate ------------------------------------------------------------

_ALLOW_ALL = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
}


def _client(service: str, endpoint_url: str, region: str = DEMO_REGION) -> Any:
    boto3: Any = importlib.import_module("boto3")  # untyped on purpose: any service name
    return boto3.client(
        service,
        region_name=region,
        endpoint_url=endpoint_url,
        aws_access_key_id=os.environ.get("AWS_ACCESS_KEY_ID", "testing"),
        aws_secret_access_key=os.environ.get("AWS_SECRET_ACCESS_KEY", "testing"),
    )


def _tls_only_policy(bucket: str) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "DenyInsecureTransport",
                    "Effect": "Deny",
                    "Principal": "*",
                    "Action": "s3:*",
                    "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
                    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                }
            ],
        }
    )


def _public_read_policy(bucket: str) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "PublicRead",
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": "s3:GetObject",
                    "Resource": f"arn:aws:s3:::{bucket}/*",
                }
            ],
        }
    )


_ALL_BLOCKED = {
    "BlockPublicAcls": True,
    "IgnorePublicAcls": True,
    "BlockPublicPolicy": True,
    "RestrictPublicBuckets": True,
}


def _seed_iam(endpoint_url: str) -> None:
    iam = _client("iam", endpoint_url)
    iam.update_account_password_policy(MinimumPasswordLength=8, PasswordReusePrevention=5)
    # alice: console + MFA (good); bob: console without MFA (bad); ci-deploy: keys only.
    for name in ("alice", "bob", "carol-admin", "ci-deploy"):
        iam.create_user(UserName=name)
    for name in ("alice", "bob", "carol-admin"):
        iam.create_login_profile(UserName=name, Password="Correct-Horse-Battery-9")
    serial = iam.create_virtual_mfa_device(VirtualMFADeviceName="alice")["VirtualMFADevice"][
        "SerialNumber"
    ]
    iam.enable_mfa_device(
        UserName="alice",
        SerialNumber=serial,
        AuthenticationCode1="123456",
        AuthenticationCode2="654321",
    )
    iam.create_access_key(UserName="ci-deploy")
    iam.create_access_key(UserName="alice")
    iam.attach_user_policy(
        UserName="carol-admin", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess"
    )
    readonly = iam.create_policy(
        PolicyName="ReportsReadOnly",
        PolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}],
            }
        ),
    )["Policy"]["Arn"]
    everything = iam.create_policy(
        PolicyName="LegacyEverything", PolicyDocument=json.dumps(_ALLOW_ALL)
    )["Policy"]["Arn"]
    iam.create_policy(PolicyName="UnusedDraft", PolicyDocument=json.dumps(_ALLOW_ALL))
    iam.attach_user_policy(UserName="alice", PolicyArn=readonly)
    trust_ci = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "ec2.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    iam.create_role(RoleName="app-server", AssumeRolePolicyDocument=json.dumps(trust_ci))
    iam.attach_role_policy(RoleName="app-server", PolicyArn=everything)
    for role, condition in (
        ("vendor-datadog", {"StringEquals": {"sts:ExternalId": "acme-7f3a"}}),
        ("vendor-legacy-backup", None),
    ):
        statement: dict[str, Any] = {
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::464622532012:root"},
            "Action": "sts:AssumeRole",
        }
        if condition:
            statement["Condition"] = condition
        iam.create_role(
            RoleName=role,
            AssumeRolePolicyDocument=json.dumps(
                {"Version": "2012-10-17", "Statement": [statement]}
            ),
        )


def _tag(s3: Any, bucket: str, key: str, value: str) -> None:
    s3.put_bucket_tagging(Bucket=bucket, Tagging={"TagSet": [{"Key": key, "Value": value}]})


def _seed_capacity(endpoint_url: str, region: str) -> None:
    """Auto Scaling group ``api`` scales on CPU; ``batch-workers`` has no policy."""
    ec2 = _client("ec2", endpoint_url, region)
    image = ec2.describe_images()["Images"][0]["ImageId"]
    asg = _client("autoscaling", endpoint_url, region)
    asg.create_launch_configuration(
        LaunchConfigurationName="acme-lc", ImageId=image, InstanceType="t3.small"
    )
    for name in ("api", "batch-workers"):
        asg.create_auto_scaling_group(
            AutoScalingGroupName=name,
            LaunchConfigurationName="acme-lc",
            MinSize=0,
            MaxSize=4,
            AvailabilityZones=[f"{region}a"],
        )
    asg.put_scaling_policy(
        AutoScalingGroupName="api",
        PolicyName="cpu-target-60",
        PolicyType="TargetTrackingScaling",
        TargetTrackingConfiguration={
            "PredefinedMetricSpecification": {"PredefinedMetricType": "ASGAverageCPUUtilization"},
            "TargetValue": 60.0,
        },
    )


def _seed_s3(endpoint_url: str) -> None:
    s3 = _client("s3", endpoint_url)
    good = "acme-customer-data"
    s3.create_bucket(Bucket=good)
    s3.put_public_access_block(Bucket=good, PublicAccessBlockConfiguration=_ALL_BLOCKED)
    s3.put_bucket_encryption(
        Bucket=good,
        ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}]
        },
    )
    s3.put_bucket_versioning(Bucket=good, VersioningConfiguration={"Status": "Enabled"})
    s3.put_bucket_policy(Bucket=good, Policy=_tls_only_policy(good))
    public = "acme-marketing-site"
    s3.create_bucket(Bucket=public)
    s3.put_bucket_policy(Bucket=public, Policy=_public_read_policy(public))
    logs = "acme-cloudtrail-logs"
    s3.create_bucket(Bucket=logs)
    s3.put_bucket_versioning(Bucket=logs, VersioningConfiguration={"Status": "Suspended"})
    s3.put_bucket_encryption(
        Bucket=logs,
        ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
        },
    )
    s3.put_bucket_policy(Bucket=logs, Policy=_tls_only_policy(logs))
    scratch = "acme-scratch-uploads"
    s3.create_bucket(Bucket=scratch)
    s3.put_bucket_acl(Bucket=scratch, ACL="public-read")
    # Confidential and personal data: one bucket expires objects, the other keeps them.
    _tag(s3, good, "classification", "confidential")
    s3.put_bucket_lifecycle_configuration(
        Bucket=good,
        LifecycleConfiguration={
            "Rules": [
                {
                    "ID": "contract-end-plus-395-days",
                    "Status": "Enabled",
                    "Filter": {"Prefix": ""},
                    "Expiration": {"Days": 395},
                }
            ]
        },
    )
    _tag(s3, scratch, "classification", "personal")
    s3control = _client("s3control", endpoint_url)
    # The account-level block is left off (a finding) so bucket-level settings matter.
    s3control.meta.events.register("before-sign", _strip_prefix(endpoint_url))
    s3control.put_public_access_block(
        AccountId=DEMO_ACCOUNT_ID,
        PublicAccessBlockConfiguration={**_ALL_BLOCKED, "RestrictPublicBuckets": False},
    )


def _strip_prefix(endpoint_url: str) -> Callable[..., None]:
    from soc2checks_aws.clients import strip_account_prefix_handler

    return strip_account_prefix_handler(endpoint_url)


def _seed_region(endpoint_url: str, region: str) -> None:
    ec2 = _client("ec2", endpoint_url, region)
    ec2.enable_ebs_encryption_by_default()
    zone = f"{region}a"
    ec2.create_volume(AvailabilityZone=zone, Size=20, Encrypted=True)
    ec2.create_volume(AvailabilityZone=zone, Size=100, Encrypted=False)
    vpc = ec2.describe_vpcs()["Vpcs"][0]["VpcId"]
    bastion = ec2.create_security_group(
        GroupName="bastion-ssh", Description="SSH from anywhere", VpcId=vpc
    )["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=bastion,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 22,
                "ToPort": 22,
                "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
            }
        ],
    )
    web = ec2.create_security_group(GroupName="web", Description="HTTPS", VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=web,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 443,
                "ToPort": 443,
                "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
                "Ipv6Ranges": [{"CidrIpv6": "::/0"}],
            }
        ],
    )
    # a second VPC whose default security group was emptied, as it should be
    data_vpc = ec2.create_vpc(CidrBlock="10.20.0.0/16")["Vpc"]["VpcId"]
    closed = ec2.describe_security_groups(
        Filters=[
            {"Name": "vpc-id", "Values": [data_vpc]},
            {"Name": "group-name", "Values": ["default"]},
        ]
    )["SecurityGroups"][0]
    if closed.get("IpPermissions"):
        ec2.revoke_security_group_ingress(
            GroupId=closed["GroupId"], IpPermissions=closed["IpPermissions"]
        )
    if closed.get("IpPermissionsEgress"):
        ec2.revoke_security_group_egress(
            GroupId=closed["GroupId"], IpPermissions=closed["IpPermissionsEgress"]
        )
    rds = _client("rds", endpoint_url, region)
    rds.create_db_instance(
        DBInstanceIdentifier="orders-db",
        DBInstanceClass="db.t3.micro",
        Engine="postgres",
        MasterUsername="acme",
        MasterUserPassword="not-a-real-password-1",
        AllocatedStorage=20,
        StorageEncrypted=True,
        BackupRetentionPeriod=14,
        PubliclyAccessible=False,
    )
    rds.create_db_instance(
        DBInstanceIdentifier="legacy-reporting",
        DBInstanceClass="db.t3.micro",
        Engine="mysql",
        MasterUsername="acme",
        MasterUserPassword="not-a-real-password-2",
        AllocatedStorage=20,
        StorageEncrypted=False,
        BackupRetentionPeriod=1,
        PubliclyAccessible=True,
    )
    ddb = _client("dynamodb", endpoint_url, region)
    for table in ("sessions", "invoices"):
        ddb.create_table(
            TableName=table,
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
    ddb.update_continuous_backups(
        TableName="invoices",
        PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True},
    )
    kms = _client("kms", endpoint_url, region)
    # KeyUsage given explicitly: AWS always reports it, moto only when it was set
    usage = "ENCRYPT_DECRYPT"
    rotated = kms.create_key(Description="acme-data", KeyUsage=usage)["KeyMetadata"]["KeyId"]
    kms.enable_key_rotation(KeyId=rotated)
    kms.create_key(Description="acme-legacy", KeyUsage=usage)
    kms.create_key(Description="acme-signing", KeySpec="RSA_2048", KeyUsage="SIGN_VERIFY")
    trail_key = rotated
    ct = _client("cloudtrail", endpoint_url, region)
    ct.create_trail(
        Name="org-audit",
        S3BucketName="acme-cloudtrail-logs",
        IsMultiRegionTrail=True,
        EnableLogFileValidation=True,
        KmsKeyId=trail_key,
    )
    ct.start_logging(Name="org-audit")
    ct.put_event_selectors(
        TrailName="org-audit",
        EventSelectors=[{"ReadWriteType": "All", "IncludeManagementEvents": True}],
    )
    ct.create_trail(Name="debug-trail", S3BucketName="acme-cloudtrail-logs")
    config = _client("config", endpoint_url, region)
    config.put_configuration_recorder(
        ConfigurationRecorder={
            "name": "default",
            "roleARN": f"arn:aws:iam::{DEMO_ACCOUNT_ID}:role/aws-config",
            "recordingGroup": {"allSupported": True, "includeGlobalResourceTypes": True},
        }
    )
    config.put_delivery_channel(
        DeliveryChannel={"name": "default", "s3BucketName": "acme-cloudtrail-logs"}
    )
    config.start_configuration_recorder(ConfigurationRecorderName="default")
    _client("guardduty", endpoint_url, region).create_detector(Enable=True)
    logs = _client("logs", endpoint_url, region)
    logs.create_log_group(logGroupName="/acme/api")
    logs.put_retention_policy(logGroupName="/acme/api", retentionInDays=400)
    logs.create_log_group(logGroupName="/acme/worker")
    logs.put_retention_policy(logGroupName="/acme/worker", retentionInDays=30)
    logs.create_log_group(logGroupName="/aws/lambda/archive")


def _backdate_in_process() -> bool:
    """Age credentials the AWS API cannot age: ``ci-deploy``'s key is 200 days old and
    never used, ``bob`` last signed in 80 days ago. Works only when the moto server runs
    in this process (as :class:`MotoServer` does); returns whether it did."""
    import datetime as dt

    try:
        from moto.iam.models import iam_backends
    except ImportError:  # pragma: no cover - moto is part of the demo extra
        return False
    backend = iam_backends[DEMO_ACCOUNT_ID]["global"]
    users = backend.users
    if "ci-deploy" not in users or "bob" not in users:
        return False
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    for key in users["ci-deploy"].access_keys:
        key.create_date = now - dt.timedelta(days=200)
    users["ci-deploy"].create_date = now - dt.timedelta(days=210)
    users["bob"].create_date = now - dt.timedelta(days=300)
    setattr(users["bob"], "password_last_used", now - dt.timedelta(days=80))  # noqa: B010
    return True


def seed_demo_estate(endpoint_url: str, regions: Iterable[str] = (DEMO_REGION,)) -> None:
    """Create Acme's AWS estate in a moto server: good and bad resources for every check.

    Account ``123456789012``, region ``us-east-1`` by default. Verdicts it produces:
    root without MFA (moto cannot enable it); users ``alice`` (MFA, a fresh key), ``bob``
    (console without MFA, last sign-in 80 days ago), ``carol-admin``
    (AdministratorAccess), ``ci-deploy`` (a 200-day-old key never used; the ages are set
    on moto's backend, so only with an in-process server such as :class:`MotoServer`); a
    weak password policy; policy ``LegacyEverything`` (* on *, in use) and
    ``UnusedDraft`` (not attached); roles ``vendor-datadog`` (external ID) and
    ``vendor-legacy-backup`` (none); buckets from well configured
    (``acme-customer-data``) to public (``acme-marketing-site``, ``acme-scratch-uploads``);
    an encrypted and an unencrypted volume; SSH open to the world; RDS ``orders-db``
    (good) and ``legacy-reporting`` (public, unencrypted, 1-day backups); DynamoDB with
    and without PITR; KMS keys with and without rotation; a logging, validated,
    encrypted multi-region trail and a bare single-region one; Config and GuardDuty on,
    Security Hub off; log groups kept 400 days, 30 days and forever; the confidential
    ``acme-customer-data`` expires objects, the personal ``acme-scratch-uploads`` does
    not; Auto Scaling group ``api`` scales, ``batch-workers`` has no policy.
    """
    _seed_iam(endpoint_url)
    _backdate_in_process()
    _seed_s3(endpoint_url)
    for region in regions:
        _seed_region(endpoint_url, region)
        _seed_capacity(endpoint_url, region)
