import json
import os
import stat
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marse_oscal.errors import InputError
from marse_oscal.files import dump_json, read_json, read_yaml, write_atomic


def test_read_json_reports_line_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{\n  "a": 1,\n  "b": }\n')
    with pytest.raises(InputError, match=r"bad\.json:3:8: invalid JSON"):
        read_json(bad)


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "file is empty"), (b"  \n", "file is empty"), (b'{"a": "\xff"}', "not valid UTF-8")],
)
def test_read_json_rejects_empty_and_binary(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "doc.json"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        read_json(path)


def test_read_json_missing_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_json(tmp_path / "missing.json")
    with pytest.raises(InputError, match="is a directory"):
        read_json(tmp_path)


def test_read_json_deep_nesting_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(InputError, match="nested too deeply"):
        read_json(path)


def test_read_yaml_refuses_unsafe_tags(tmp_path: Path) -> None:
    path = tmp_path / "evil.yaml"
    path.write_text("a: !!python/object/apply:os.system ['echo pwned']\n")
    with pytest.raises(InputError, match=r"evil\.yaml"):
        read_yaml(path)


def test_read_yaml_reports_location(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("a: [1, 2\nb: 3\n")
    with pytest.raises(InputError, match=r"broken\.yaml:\d+:\d+: invalid YAML"):
        read_yaml(path)


def test_write_atomic_is_idempotent_and_uses_normal_permissions(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "out.json"
    assert write_atomic(target, dump_json({"b": 1, "a": [1, 2]})) is True
    first = target.read_bytes()
    assert write_atomic(target, dump_json({"b": 1, "a": [1, 2]})) is False
    assert target.read_bytes() == first
    assert first.endswith(b"\n")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask
    assert [p.name for p in target.parent.iterdir()] == ["out.json"]


@settings(max_examples=200)
@given(st.binary(max_size=200))
def test_read_json_on_arbitrary_bytes_returns_or_raises_input_error(tmp_path_factory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "doc.json"
    path.write_bytes(data)
    try:
        value = read_json(path)
    except InputError as exc:
        assert "\n" not in str(exc)
        return
    assert json.loads(data.decode("utf-8-sig")) == value
