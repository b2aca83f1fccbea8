"""Change management: ownership of code is defined.

Code owners make the approvers of each change explicit (CC8.1).
"""

from __future__ import annotations

from soc2checks import control, skip
from soc2checks_github.models import RepoCodeowners

change_management = control("change-management", criteria=["CC8.1"])

# Checks for every provider sit side by side below, grouped by provider.


# --- github ---


@change_management.check(
    "github.repo.codeowners",
    over="github_codeowners",
    severity="low",
    remediation=(
        "Add a CODEOWNERS file to .github/, the repository root or docs/ on the default "
        "branch, naming the teams that must review each path; fix every error GitHub shows "
        "for it (Code tab > CODEOWNERS file, or GET /repos/{owner}/{repo}/codeowners/errors)."
    ),
)
def github_codeowners(codeowners: RepoCodeowners) -> None:
    """The repository has a CODEOWNERS file in a standard location, free of errors.

    GitHub looks in ``.github/CODEOWNERS``, ``CODEOWNERS`` and ``docs/CODEOWNERS`` on
    the default branch, and ignores every line it reports in ``GET .../codeowners/errors``
    (unknown owners, bad patterns): a file full of errors names no reviewer at all.
    """
    if codeowners.empty:
        skip(f"{codeowners.repo} is empty")
    codeowners.known()
    assert codeowners.present, (
        f"{codeowners.repo} has no CODEOWNERS file in .github/, the root or docs/"
    )
    errors = codeowners.file_errors
    assert not errors, (
        f"{codeowners.repo}: GitHub reports {len(errors)} error(s) in "
        f"{codeowners.path or 'CODEOWNERS'}, whose lines it ignores: "
        + "; ".join(errors[:5])
        + ("; ..." if len(errors) > 5 else "")
    )
