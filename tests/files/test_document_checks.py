"""The procedure-document checks: pass, fail and error over real Markdown files."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from soc2checks_controls.capacity_management import files_capacity_management
from soc2checks_controls.data_classification import files_data_classification
from soc2checks_controls.external_commitments import files_external_commitments
from soc2checks_controls.org_structure import files_org_chart
from soc2checks_controls.privacy_notice import files_privacy_notice
from soc2checks_controls.processing_integrity import files_reconciliation_procedure
from soc2checks_controls.processing_specifications import files_processing_specifications
from soc2checks_controls.system_description import files_system_description
from soc2checks_files import fixtures
from soc2checks_files.models import FilesRoot, MalformedFileError, PolicyDocument

TODAY = dt.date(2026, 6, 1)


def doc(root: Path, name: str, *sections: str, age: int = 30, **front: str) -> None:
    fields = {
        "owner": "Dana",
        "approved_by": "Sam",
        "version": "1",
        "last_reviewed": (TODAY - dt.timedelta(days=age)).isoformat(),
        **front,
    }
    head = "".join(f"{k}: {v}\n" for k, v in fields.items() if v)
    body = "".join(f"## {s}\n\ntext\n\n" for s in sections)
    path = root / "policies" / f"{name}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{head}---\n\n# {name}\n\n{body}", encoding="utf-8")


@pytest.fixture
def root(tmp_path: Path) -> FilesRoot:
    return FilesRoot(folder="compliance", path=str(tmp_path))


def policies(root: FilesRoot) -> list[PolicyDocument]:
    return fixtures.files_policies(root)


Check = Callable[..., None]
CASES: list[tuple[Check, str, tuple[str, ...]]] = [
    (files_system_description, "system-description", ("Components", "Data flows", "Boundaries")),
    (files_privacy_notice, "privacy-notice", ("Purposes", "Use", "Data quality")),
    (files_data_classification, "data-classification", ("Confidential data",)),
    (
        files_processing_specifications,
        "processing-specifications",
        ("Inputs", "Processing", "Outputs"),
    ),
    (files_reconciliation_procedure, "reconciliation-procedure", ()),
    (files_capacity_management, "capacity-management", ()),
]


@pytest.mark.parametrize(("check", "name", "sections"), CASES, ids=[c[1] for c in CASES])
def test_document_checks(
    check: Check, name: str, sections: tuple[str, ...], root: FilesRoot
) -> None:
    folder = Path(root.path)
    with pytest.raises(AssertionError, match=f"expected policies/{name}.md"):
        check(policies(root), root, TODAY)
    doc(folder, name, *sections)
    assert check(policies(root), root, TODAY) is None  # pass
    doc(folder, name, *sections, age=400)
    with pytest.raises(AssertionError, match="400 days ago"):
        check(policies(root), root, TODAY)
    doc(folder, name, *sections, approved_by="")
    with pytest.raises(AssertionError, match="lacks approved_by"):
        check(policies(root), root, TODAY)
    doc(folder, name, *sections, status="draft")
    with pytest.raises(AssertionError, match="is draft, not in force"):
        check(policies(root), root, TODAY)
    doc(folder, name, *sections, last_reviewed="soon")
    with pytest.raises(MalformedFileError, match=f"{name}.md:5: last_reviewed 'soon'"):
        check(policies(root), root, TODAY)
    if sections:
        doc(folder, name, *sections[1:])
        with pytest.raises(
            AssertionError, match=f"does not cover {sections[0].lower().split()[0]}"
        ):
            check(policies(root), root, TODAY)


def test_org_chart_names_the_security_owner(root: FilesRoot) -> None:
    folder = Path(root.path)
    doc(folder, "org-chart")
    with pytest.raises(AssertionError, match="lacks security_owner"):
        files_org_chart(policies(root), root, TODAY)
    doc(folder, "org-chart", security_owner="Dana (CTO)")
    assert files_org_chart(policies(root), root, TODAY) is None
    doc(folder, "roles-and-responsibilities", security_owner="Dana (CTO)")
    with pytest.raises(MalformedFileError, match="given by 2 files"):
        files_org_chart(policies(root), root, TODAY)


def test_external_commitments_need_url_and_a_way_to_report(root: FilesRoot) -> None:
    folder = Path(root.path)
    doc(folder, "security-notice")
    with pytest.raises(AssertionError, match="lacks url"):
        files_external_commitments(policies(root), root, TODAY)
    doc(folder, "security-notice", url="https://acme.test/security")
    with pytest.raises(AssertionError, match="no way for customers to report issues"):
        files_external_commitments(policies(root), root, TODAY)
    doc(folder, "vulnerability-disclosure")
    assert files_external_commitments(policies(root), root, TODAY) is None
    (folder / "policies" / "vulnerability-disclosure.md").unlink()
    doc(folder, "security-notice", url="https://acme.test/security", contact="sec@acme.test")
    assert files_external_commitments(policies(root), root, TODAY) is None
