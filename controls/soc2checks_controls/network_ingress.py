"""Network ingress restricted: administrative ports are not open to the internet.

SSH and RDP open to the world invite brute force; the system boundary must restrict
inbound traffic (CC6.6).
"""

from __future__ import annotations

from soc2checks import control, skip
from soc2checks_aws.models import IngressRule, SecurityGroup
from soc2checks_azure.models import NsgRule
from soc2checks_gcp.models import Firewall, FirewallAllow

network_ingress = control("network-ingress", criteria=["CC6.6"])

# Checks for every provider sit side by side below, grouped by provider.


# --- aws ---


_AWS_ADMIN_PORTS = {22: "SSH", 3389: "RDP"}
_AWS_WORLD = ("0.0.0.0/0", "::/0")


def _aws_rule_reaches(rule: IngressRule, port: int) -> bool:
    protocol = rule.protocol.lower()
    if protocol in ("-1", "all"):
        return True
    if protocol not in ("tcp", "6", "udp", "17"):
        return False
    low = rule.from_port if rule.from_port is not None else 0
    high = rule.to_port if rule.to_port is not None else 65535
    if low == -1:
        return True
    return low <= port <= high


@network_ingress.check(
    "aws.ec2.sg-admin-ports-closed",
    over="aws_security_groups",
    severity="high",
    remediation=(
        "Remove ingress rules that allow 0.0.0.0/0 or ::/0 to SSH (22) or RDP (3389); use "
        "AWS Systems Manager Session Manager, a VPN or specific source ranges instead."
    ),
)
def aws_sg_admin_ports_closed(group: SecurityGroup) -> None:
    """Security groups allow no ingress from the internet to SSH (22) or RDP (3389).

    Port ranges and all-traffic rules that include those ports count.
    """
    open_to: list[str] = []
    for rule in group.ingress:
        sources = [c for c in (*rule.ipv4_ranges, *rule.ipv6_ranges) if c in _AWS_WORLD]
        if not sources:
            continue
        for port, name in _AWS_ADMIN_PORTS.items():
            if _aws_rule_reaches(rule, port):
                open_to.append(f"{name} ({port}) from {', '.join(sources)}")
    assert not open_to, (
        f"security group {group.group_id} ({group.group_name}, {group.region}) allows "
        + "; ".join(sorted(set(open_to)))
    )


@network_ingress.check(
    "aws.ec2.default-sg-closed",
    over="aws_security_groups",
    severity="medium",
    remediation=(
        "Remove every inbound and outbound rule from the VPC's default security group and "
        "attach purpose-made groups to resources instead."
    ),
)
def aws_default_sg_closed(group: SecurityGroup) -> None:
    """Default security groups have no inbound or outbound rules.

    Groups other than a VPC's ``default`` group do not apply.
    """
    from soc2checks import skip

    if not group.is_default:
        skip(f"security group {group.group_id} is not a default security group")
    rules = []
    if group.ingress:
        rules.append(f"{len(group.ingress)} inbound")
    if group.egress:
        rules.append(f"{len(group.egress)} outbound")
    assert not rules, (
        f"default security group {group.group_id} of {group.vpc_id or 'EC2-Classic'} "
        f"({group.region}) has {' and '.join(rules)} rule(s)"
    )


# --- gcp ---

_GCP_ADMIN_PORTS = {22: "SSH", 3389: "RDP"}


def _gcp_reaches(allow: FirewallAllow, port: int) -> bool:
    if allow.protocol not in ("tcp", "all", "6"):
        return False
    if not allow.ports:
        return True
    for spec in allow.ports:
        low, _, high = spec.partition("-")
        try:
            if int(low) <= port <= int(high or low):
                return True
        except ValueError as exc:
            raise ValueError(f"unparseable firewall port {spec!r}") from exc
    return False


@network_ingress.check(
    "gcp.compute.firewall-admin-ports",
    over="gcp_firewalls",
    severity="high",
    remediation=(
        "Restrict the rule's source ranges, or use Identity-Aware Proxy TCP forwarding "
        "(35.235.240.0/20) for SSH and RDP instead of 0.0.0.0/0."
    ),
)
def gcp_firewall_admin_ports(rule: Firewall) -> None:
    """Enabled ingress rules let no 0.0.0.0/0 or ::/0 source reach tcp 22 or 3389 (ranges, all)."""
    if rule.direction != "INGRESS":
        skip("egress rule")
    if rule.disabled:
        skip("rule disabled")
    world = [r for r in rule.source_ranges if r in _AWS_WORLD]
    if not world:
        return
    reached = sorted(
        f"{name} ({port})"
        for port, name in _GCP_ADMIN_PORTS.items()
        if any(_gcp_reaches(a, port) for a in rule.allowed)
    )
    assert not reached, (
        f"firewall rule {rule.name} ({rule.project_id}) allows {', '.join(reached)} from "
        f"{', '.join(world)}"
    )


# --- azure ---

_AZURE_WORLD = ("*", "internet", "0.0.0.0/0", "0.0.0.0", "any", "::/0")


def _azure_port_hits(spec: str, port: int) -> bool:
    spec = spec.strip()
    if spec == "*":
        return True
    low, _, high = spec.partition("-")
    try:
        return int(low) <= port <= int(high or low)
    except ValueError as exc:
        raise ValueError(f"unparseable NSG port range {spec!r}") from exc


@network_ingress.check(
    "azure.network.nsg-admin-ports-closed",
    over="azure_nsg_rules",
    severity="high",
    remediation=(
        "Restrict the rule's source to known ranges, or use Azure Bastion or just-in-time VM "
        "access instead of opening SSH (22) or RDP (3389) to the internet."
    ),
)
def azure_nsg_admin_ports(rule: NsgRule) -> None:
    """Inbound allow rules let no source `*`, `Internet` or `0.0.0.0/0` reach 22 or 3389
    (ranges, `*` ports and several prefixes included)."""
    if rule.protocol.lower() not in ("tcp", "*"):
        skip(f"protocol {rule.protocol}")
    world = sorted(s for s in rule.sources if s.lower() in _AZURE_WORLD)
    if not world:
        return
    reached = sorted(
        f"{name} ({port})"
        for port, name in {22: "SSH", 3389: "RDP"}.items()
        if any(_azure_port_hits(p, port) for p in rule.ports)
    )
    assert not reached, (
        f"NSG {rule.nsg} rule {rule.name} allows {', '.join(reached)} from {', '.join(world)}"
    )
