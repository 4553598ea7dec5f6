"""Parsing hostile and broken input: a ParseError with a rule and a location, never anything else."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marse_oscal.validate.parsers import ParseError, json_line_index, parse


def rule_of(name: str, raw: bytes) -> str:
    with pytest.raises(ParseError) as err:
        parse(name, raw)
    assert "\n" not in str(err.value)
    return err.value.rule


SECRET = "/etc/hostname"


@pytest.mark.parametrize(
    "raw",
    [
        f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file://{SECRET}">]><catalog>&e;</catalog>'.encode(),
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
        b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]><catalog>&c;</catalog>',
        b'<!DOCTYPE catalog SYSTEM "http://127.0.0.1:9/evil.dtd"><catalog/>',
        b'<?xml version="1.0"?>\n<!doctype catalog><catalog/>',
    ],
)
def test_xml_with_dtd_or_entities_is_refused_before_parsing(raw: bytes) -> None:
    assert rule_of("evil.xml", raw) == "PARSE-006"


def test_deep_xml_is_refused() -> None:
    raw = b"<catalog>" + b"<a>" * 200_000 + b"</a>" * 200_000 + b"</catalog>"
    assert rule_of("deep.xml", raw) == "PARSE-005"


def test_yaml_python_tag_is_refused_and_not_run(tmp_path) -> None:
    marker = tmp_path / "ran"
    raw = f"a: !!python/object/apply:os.system ['touch {marker}']\n".encode()
    assert rule_of("evil.yaml", raw) == "PARSE-001"
    assert not marker.exists()


def test_yaml_alias_bomb_is_refused() -> None:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for n in range(1, 12):
        prev = chr(ord("a") + n - 1)
        cur = chr(ord("a") + n)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    assert rule_of("bomb.yaml", "\n".join(lines).encode()) == "PARSE-007"


@pytest.mark.parametrize(
    ("name", "raw", "rule"),
    [
        ("deep.json", b"[" * 200_000 + b"]" * 200_000, "PARSE-005"),
        ("deep.yaml", b"a: " + b"[" * 200_000 + b"]" * 200_000, "PARSE-005"),
        ("deep2.json", b'{"a":' * 300 + b"1" + b"}" * 300, "PARSE-005"),
        ("empty.json", b"", "PARSE-002"),
        ("blank.yaml", b"  \n\n", "PARSE-002"),
        ("binary.json", b"\x00\x01\x02\x89PNG", "PARSE-003"),
        ("latin1.json", b'{"title": "caf\xe9"}', "PARSE-004"),
        ("truncated.json", b'{"catalog": {"uuid": "x", "metadata": {', "PARSE-001"),
        ("bad.xml", b"<catalog><metadata></catalog>", "PARSE-001"),
        ("list.yaml", b"- a\n- b\n", "PARSE-001"),
    ],
)
def test_broken_input(name: str, raw: bytes, rule: str) -> None:
    assert rule_of(name, raw) == rule


def test_errors_carry_lines() -> None:
    with pytest.raises(ParseError) as err:
        parse("x.json", b'{\n  "a": 1,\n  "b": oops\n}')
    assert err.value.line == 3
    with pytest.raises(ParseError) as err:
        parse("x.yaml", b"a: 1\nb: [1, 2\nc: 3\n")
    assert err.value.line is not None


def test_yaml_keeps_oscal_strings() -> None:
    doc = parse("p.yaml", b"profile:\n  last-modified: 2026-01-01T00:00:00Z\n  flag: yes\n  real: true\n").data
    assert doc["profile"] == {"last-modified": "2026-01-01T00:00:00Z", "flag": "yes", "real": True}


def test_xml_becomes_json_shape_with_lines() -> None:
    raw = (
        b'<?xml version="1.0"?>\n<system-security-plan xmlns="http://csrc.nist.gov/ns/oscal/1.0" uuid="u1">\n'
        b'  <metadata>\n    <title>T</title>\n    <party uuid="p1"><name>N</name></party>\n'
        b'    <party uuid="p2"><name>M</name></party>\n  </metadata>\n'
        b'  <import-profile href="#r1"/>\n</system-security-plan>\n'
    )
    document = parse("ssp.xml", raw)
    root = document.data["system-security-plan"]
    assert root["uuid"] == "u1" and root["metadata"]["title"] == "T"
    assert [p["uuid"] for p in root["metadata"]["parties"]] == ["p1", "p2"]
    assert root["import-profile"] == {"href": "#r1"}
    assert document.line_of("/system-security-plan/metadata/parties/1") == 6


def test_json_line_index() -> None:
    text = '{\n  "a": [\n    1,\n    {"b/c": "x"}\n  ],\n  "d": "e\\"f"\n}'
    lines = json_line_index(text)
    assert lines["/a"] == 2 and lines["/a/1"] == 4 and lines["/a/1/b~1c"] == 4 and lines["/d"] == 6
    assert "/a/0" not in lines  # scalars in arrays take their array's line


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300), st.sampled_from(["f.json", "f.yaml", "f.xml", "f"]))
def test_parse_never_fails_otherwise(raw: bytes, name: str) -> None:
    try:
        parse(name, raw)
    except ParseError as exc:
        assert str(exc) and "\n" not in str(exc)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4),
    max_leaves=30,
)


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_line_index_matches_every_pointer_of_generated_json(value) -> None:
    text = json.dumps({"root": value}, indent=1)
    lines = json_line_index(text)
    assert lines[""] == 1 and "/root" in lines


def test_repository_root(tmp_path, monkeypatch) -> None:
    from marse_oscal.validate.pipeline import repository_root

    project = tmp_path / "project"
    (project / "ssp").mkdir(parents=True)
    document = project / "ssp" / "ssp.json"
    monkeypatch.chdir(project)
    assert repository_root(document) == project.resolve()
    monkeypatch.chdir(tmp_path.parent)
    assert repository_root(document) == tmp_path.parent.resolve()
    (project / ".git").mkdir()
    assert repository_root(document) == project.resolve()
    monkeypatch.chdir(project / "ssp")
    elsewhere = tmp_path / "other" / "x.json"
    assert repository_root(elsewhere) == (tmp_path / "other").resolve()
