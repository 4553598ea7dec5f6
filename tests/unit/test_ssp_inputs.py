"""SSP inputs: control markdown and system.yaml, with errors that name file, line and field."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marse_oscal.errors import InputError
from marse_oscal.ssp.inputs import YamlFile, read_control_file

CONTROL = """---
control-id: ac-2
implementation-status: {status}
x-trestle-set-params:
  # organization-defined frequency
  ac-2_prm_1:
    values: ["monthly"]
  ac-2_prm_2:
    values: []
---

# ac-2 - Account Management

## Control Statement

The organization manages accounts.

## What is the solution and how is it implemented?

### This System

{narrative}

### Enrollment web portal

<!-- TODO(marse-oscal): write me -->

### Microsoft Azure Government (provider: shared)

<!-- From the provider's component definition; marse-oscal does not read this section. -->
Microsoft does its part.
"""


def write(tmp_path: Path, text: str, name: str = "ac-2.md") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_control_file_is_parsed(tmp_path: Path) -> None:
    control = read_control_file(write(tmp_path, CONTROL.format(status="implemented", narrative="We review accounts.")))
    assert control.control_id == "ac-2" and control.status == "implemented"
    assert control.params == {"ac-2_prm_1": ["monthly"], "ac-2_prm_2": []}
    assert list(control.sections) == ["This System", "Enrollment web portal", "Microsoft Azure Government"]
    assert control.sections["This System"].written and control.sections["This System"].prose == "We review accounts."
    assert not control.sections["Enrollment web portal"].written


def test_todo_marker_means_not_written(tmp_path: Path) -> None:
    text = CONTROL.format(status="implemented", narrative="<!-- TODO(marse-oscal): describe -->")
    assert not read_control_file(write(tmp_path, text)).sections["This System"].written


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("no front matter\n", r"ac-2\.md:1: expected YAML front matter"),
        ("---\ncontrol-id: ac-2\n", r"ac-2\.md:1: front matter is not closed"),
        (CONTROL.format(status="done", narrative="x"), r"ac-2\.md:3: implementation-status: 'done' is not one of"),
        ("---\nx-trestle-set-params:\n  ac-2_prm_1:\n    values: {a: 1}\n---\n", r"ac-2\.md:3: x-trestle-set-params"),
        ("---\ncontrol-id: [unclosed\n---\n", r"ac-2\.md:\d+: front matter: invalid YAML"),
    ],
)
def test_control_file_errors_are_located(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        read_control_file(write(tmp_path, text))


def test_yaml_field_errors_name_line_and_field(tmp_path: Path) -> None:
    spec = YamlFile.load(
        write(tmp_path, "system:\n  id: x\n  status: 5\n  impact:\n    integrity: extreme\n", "system.yaml")
    )
    with pytest.raises(InputError, match=r"system\.yaml:1: system\.name: required"):
        spec.get("/system/name")
    with pytest.raises(InputError, match=r"system\.yaml:3: system\.status: expected str, got int"):
        spec.get("/system/status")
    with pytest.raises(InputError, match=r"system\.yaml:5: system\.impact\.integrity: 'extreme' is not one of"):
        spec.choice("/system/impact/integrity", ("low", "moderate", "high"))


def test_unsafe_yaml_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"system\.yaml:1:"):
        YamlFile.load(write(tmp_path, "system: !!python/object/apply:os.system ['id']\n", "system.yaml"))


TRESTLE_LAYOUT = """---
control-id: ac-2
---

# ac-2 - Account Management

## What is the solution and how is it implemented?

### This System

Overall approach.

#### Implementation Status: partial

______________________________________________________________________

## Implementation for part a.

### This System

Account types are listed in the handbook.

#### Implementation Status: implemented

## Implementation for part b.

### Enrollment web portal

<!-- Add implementation prose for the Enrollment web portal component for control: ac-2 -->

#### Implementation Status: planned
"""


def test_trestle_per_part_layout(tmp_path: Path) -> None:
    control = read_control_file(write(tmp_path, TRESTLE_LAYOUT))
    assert control.sections["This System"].status == "partial"
    assert control.sections["This System"].prose.startswith("Overall approach.")
    assert set(control.parts) == {"a", "b"}
    part_a = control.parts["a"]["This System"]
    assert (
        part_a.written
        and part_a.status == "implemented"
        and part_a.prose == "Account types are listed in the handbook."
    )
    assert not control.parts["b"]["Enrollment web portal"].written
    assert control.parts["b"]["Enrollment web portal"].line == 27  # the "### Enrollment web portal" line


def test_bad_status_line_is_located(tmp_path: Path) -> None:
    text = TRESTLE_LAYOUT.replace("#### Implementation Status: partial", "#### Implementation Status: done")
    with pytest.raises(InputError, match=r"ac-2\.md:13: implementation status 'done' is not one of"):
        read_control_file(write(tmp_path, text))


markdown_lines = st.lists(
    st.one_of(
        st.sampled_from(["---", "## What is the solution and how is it implemented?", "## Implementation for part a.",
                         "### This System", "#### Implementation Status: planned", "#### Implementation Status: bad",
                         "x-trestle-set-params:", "  ac-2_prm_1:", "    values: [1, 2]", "implementation-status: nope",
                         "<!-- TODO(marse-oscal): x -->", "justification: [", ""]),
        st.text(max_size=30),
    ),
    max_size=25,
)  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(markdown_lines)
def test_control_file_reader_never_fails_otherwise(tmp_path: Path, lines: list[str]) -> None:
    path = write(tmp_path, "\n".join(lines))
    try:
        read_control_file(path)
    except InputError as exc:
        assert str(exc).startswith(str(path)) and "\n" not in str(exc)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=200))
def test_system_yaml_loader_never_fails_otherwise(tmp_path: Path, text: str) -> None:
    from marse_oscal.ssp.system import load_system

    (tmp_path / "system.yaml").write_text(text)
    try:
        load_system(tmp_path)
    except InputError as exc:
        assert "system.yaml" in str(exc)
