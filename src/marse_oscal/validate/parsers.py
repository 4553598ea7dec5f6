"""Safe parsing of OSCAL JSON, YAML and XML into one JSON-shaped form, with source lines for pointers.

Hostile input is the norm here: XML may carry DTDs, external entities or entity bombs, YAML may carry
python tags or alias bombs, any file may be huge, binary, truncated or nested 200,000 levels deep.
Each becomes a `ParseError` with a one-line reason and, where known, the line; nothing is fetched,
expanded or executed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from marse_oscal.oscal import pointer_token

MAX_DEPTH = 256
MAX_YAML_EXPANDED_NODES = 2_000_000
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]')
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


class ParseError(Exception):
    """The input cannot be read as a document; `line` when the parser knows it, `rule` the PARSE-* id."""

    def __init__(self, message: str, line: int | None = None, rule: str = "PARSE-001") -> None:
        super().__init__(message)
        self.line = line
        self.rule = rule


@dataclass
class ParsedDocument:
    """A parsed document in OSCAL JSON shape, whatever format it came in."""

    format: str
    data: Any
    text: str = ""
    xml_lines: dict[str, int] = field(default_factory=dict)
    xml_tree: Any = None
    _yaml_root: Any = None
    _json_lines: JsonLines | None = None

    @property
    def model(self) -> str | None:
        if isinstance(self.data, dict) and len(self.data) >= 1:
            return next(iter(self.data))
        return None

    def line_of(self, pointer: str) -> int | None:
        """Best-effort source line of a JSON pointer (deepest existing prefix)."""
        try:
            if self.format == "xml":
                return _deepest(self.xml_lines, pointer)
            if self.format == "json":
                if self._json_lines is None:
                    self._json_lines = JsonLines(self.text)
                return self._json_line(pointer)
            if self.format == "yaml":
                return self._yaml_line(pointer)
        except (ValueError, IndexError, KeyError, RecursionError):
            return None
        return None

    def _json_line(self, pointer: str) -> int | None:
        tokens = _tokens(pointer)
        while True:
            line = self._json_lines.line("/" + "/".join(tokens) if tokens else "")
            if line is not None or not tokens:
                return line
            tokens.pop()

    def _yaml_line(self, pointer: str) -> int | None:
        import yaml

        if self._yaml_root is None:
            self._yaml_root = yaml.compose(self.text, Loader=_yaml_loader())
        node = self._yaml_root
        for token in _tokens(pointer):
            if isinstance(node, yaml.MappingNode):
                node = next((v for k, v in node.value if k.value == token), None)
            elif isinstance(node, yaml.SequenceNode) and token.isdigit() and int(token) < len(node.value):
                node = node.value[int(token)]
            else:
                break
            if node is None:
                return None
        return node.start_mark.line + 1 if node is not None else None


def _tokens(pointer: str) -> list[str]:
    if not pointer or pointer == "/":
        return []
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer.lstrip("/").split("/")]


def _deepest(lines: dict[str, int], pointer: str) -> int | None:
    tokens = _tokens(pointer)
    while tokens:
        key = "/" + "/".join(tokens)
        if key in lines:
            return lines[key]
        tokens.pop()
    return lines.get("")


def check_depth(data: Any) -> None:
    """Reject documents nested deeper than MAX_DEPTH before any recursive checker sees them."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ParseError(f"nested deeper than {MAX_DEPTH} levels", rule="PARSE-005")
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values() if isinstance(v, dict | list))
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value if isinstance(v, dict | list))


def decode(raw: bytes) -> str:
    """UTF-8 text (BOM allowed); binary, empty or mis-encoded input is a ParseError."""
    if not raw.strip():
        raise ParseError("file is empty", rule="PARSE-002")
    if b"\x00" in raw[:8192]:
        raise ParseError("binary file (NUL bytes), not a text document", rule="PARSE-003")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ParseError(f"byte {exc.start}: not valid UTF-8", line, "PARSE-004") from None


def detect_format(name: str, raw: bytes) -> str:
    """By extension, else by the first non-blank byte."""
    lower = name.lower()
    for suffix, fmt in ((".json", "json"), (".yaml", "yaml"), (".yml", "yaml"), (".xml", "xml")):
        if lower.endswith(suffix):
            return fmt
    head = raw.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    return {b"{": "json", b"[": "json", b"<": "xml"}.get(head, "yaml")


def parse(name: str, raw: bytes) -> ParsedDocument:
    """Parse `raw` (the bytes of file `name`) safely; raises ParseError."""
    fmt = detect_format(name, raw)
    if fmt == "xml":
        document = _parse_xml(raw)
    else:
        text = decode(raw)
        document = _parse_json(text) if fmt == "json" else _parse_yaml(text)
    check_depth(document.data)
    return document


def _parse_json(text: str) -> ParsedDocument:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(f"invalid JSON at column {exc.colno}: {exc.msg}", exc.lineno) from None
    except RecursionError:
        raise ParseError(f"nested deeper than {MAX_DEPTH} levels", rule="PARSE-005") from None
    return ParsedDocument("json", data, text)


def _yaml_loader() -> type:
    """A C-accelerated safe loader with YAML 1.2 scalars: dates stay strings, only true/false are booleans.

    OSCAL values such as `with-child-controls: yes` and unquoted timestamps must survive as strings.
    """
    import yaml

    global _LOADER
    if _LOADER is None:
        base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

        class OscalYamlLoader(base):  # type: ignore[misc, valid-type]
            pass

        resolvers = {
            first: [(tag, regexp) for tag, regexp in entries if tag not in _DROPPED_TAGS]
            for first, entries in base.yaml_implicit_resolvers.items()
        }
        OscalYamlLoader.yaml_implicit_resolvers = resolvers
        OscalYamlLoader.add_implicit_resolver(
            "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
        )
        _LOADER = OscalYamlLoader
    return _LOADER


_LOADER: type | None = None
_DROPPED_TAGS = {"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool"}


def _check_alias_expansion(events: Any) -> None:
    """Refuse YAML whose aliases expand to more than MAX_YAML_EXPANDED_NODES nodes (billion laughs).

    Counted on the event stream, so the bomb is never built: each anchor remembers the size of its node
    and each alias adds that size again.
    """
    import yaml

    sizes: dict[str, int] = {}
    stack: list[list[Any]] = [[0, None]]
    total = 0
    for event in events:
        if isinstance(event, yaml.CollectionStartEvent):
            stack.append([1, event.anchor])
            total += 1
            continue
        if isinstance(event, yaml.CollectionEndEvent):
            size, anchor = stack.pop()
        elif isinstance(event, yaml.ScalarEvent):
            size, anchor = 1, event.anchor
            total += 1
        elif isinstance(event, yaml.AliasEvent):
            size, anchor = sizes.get(event.anchor, 1), None
            total += size
        else:
            continue
        if anchor:
            sizes[anchor] = size
        stack[-1][0] += size
        if total > MAX_YAML_EXPANDED_NODES:
            raise ParseError(
                f"YAML aliases expand to more than {MAX_YAML_EXPANDED_NODES} nodes: refused as an alias bomb",
                getattr(event.start_mark, "line", -1) + 1 or None,
                "PARSE-007",
            )


def _parse_yaml(text: str) -> ParsedDocument:
    import yaml

    loader = _yaml_loader()
    try:
        if "*" in text:
            _check_alias_expansion(yaml.parse(text, Loader=loader))
        data = yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader without python tags
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        reason = " ".join(str(exc.problem or exc.context or "syntax error").split())
        rule = "PARSE-005" if "depth" in reason else "PARSE-001"
        raise ParseError(f"invalid YAML: {reason}", mark.line + 1 if mark else None, rule) from None
    except yaml.YAMLError as exc:
        raise ParseError(f"invalid YAML: {' '.join(str(exc).split())}") from None
    except RecursionError:
        raise ParseError(f"nested deeper than {MAX_DEPTH} levels", rule="PARSE-005") from None
    if not isinstance(data, dict):
        raise ParseError(f"a YAML document must be a mapping, not {type(data).__name__}")
    return ParsedDocument("yaml", data, text)


_MARKUP = {
    "p", "ul", "ol", "li", "strong", "em", "b", "i", "a", "code", "q", "sub", "sup", "br", "pre", "img",
    "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr", "td", "th", "blockquote", "insert",
}  # fmt: skip
_SINGLETONS = {
    "metadata", "back-matter", "import-profile", "import-ssp", "import-ap", "import-component-definition",
    "system-characteristics", "system-implementation", "control-implementation", "status", "system-ids",
    "security-impact-level", "system-information", "authorization-boundary", "network-architecture",
    "data-flow", "merge", "modify", "export", "include-all", "as-is", "combine", "flat", "select",
    "reviewed-controls", "local-definitions", "implementation-status", "date-authorized", "origin",
}  # fmt: skip
_SAME_PLURAL = {"provided", "inherited", "satisfied", "metadata"}


def _plural(tag: str) -> str:
    if tag in _SAME_PLURAL:
        return tag
    if tag.endswith("y") and not tag.endswith(("ay", "ey", "oy")):
        return tag[:-1] + "ies"
    if tag.endswith(("s", "x", "ch")):
        return tag + "es"
    return tag + "s"


def _parse_xml(raw: bytes) -> ParsedDocument:
    from lxml import etree

    if _DTD.search(raw[:65536]) or _DTD.search(raw):
        raise ParseError(
            "XML with a DOCTYPE or ENTITY declaration is refused (no DTDs, entities or XXE)", rule="PARSE-006"
        )
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False,
        remove_comments=True, remove_pis=True,
    )  # fmt: skip
    try:
        root = etree.fromstring(raw, parser)
    except etree.XMLSyntaxError as exc:
        message = " ".join(str(exc.msg or exc).split())
        rule = "PARSE-005" if "depth" in message.lower() else "PARSE-001"
        raise ParseError(f"invalid XML: {message}", exc.lineno, rule) from None
    lines: dict[str, int] = {}
    tag = etree.QName(root).localname
    data = {tag: _element(root, f"/{tag}", lines)}
    text = raw.decode("utf-8", errors="replace")
    return ParsedDocument("xml", data, text, xml_lines=lines, xml_tree=root.getroottree())


def _markup_text(element: Any) -> str:
    from lxml import etree

    pieces = []
    for node in element.iter():
        if etree.QName(node).localname == "insert":
            pieces.append(f"{{{{ insert: {node.get('type', 'param')}, {node.get('id-ref', '')} }}}}")
        if node.text:
            pieces.append(node.text)
        if node is not element and node.tail:
            pieces.append(node.tail)
    return " ".join("".join(pieces).split())


def _element(element: Any, pointer: str, lines: dict[str, int]) -> Any:
    """One XML element as JSON-shaped data, recording source lines by pointer."""
    from lxml import etree

    lines[pointer] = element.sourceline or 0
    children = [c for c in element if isinstance(c.tag, str)]
    names = [etree.QName(c).localname for c in children]
    if not element.attrib and (not children or all(n in _MARKUP for n in names)):
        return _markup_text(element) if children else (element.text or "").strip()
    result: dict[str, Any] = {k: v for k, v in element.attrib.items() if "}" not in k}
    if children and all(n in _MARKUP for n in names):
        result["prose"] = _markup_text(element)
        return result
    grouped: dict[str, list[Any]] = {}
    for child, name in zip(children, names, strict=True):
        if name not in _MARKUP:
            grouped.setdefault(name, []).append(child)
    for name, items in grouped.items():
        leaf = all(not i.attrib and not len(i) for i in items)
        if name in _SINGLETONS or (leaf and len(items) == 1):
            key = name
            result[key] = _element(items[0], f"{pointer}/{key}", lines)
        else:
            key = _plural(name)
            result[key] = [_element(item, f"{pointer}/{key}/{n}", lines) for n, item in enumerate(items)]
    return result


def json_line_index(text: str) -> dict[str, int]:
    """Source line of every member, array and object in a JSON text, by JSON pointer."""
    scanner = JsonLines(text)
    scanner.line("\u0000")  # a pointer that never occurs: scan to the end
    return scanner.lines


class JsonLines:
    """Lines of JSON pointers, scanned lazily: a lookup reads the text only as far as its pointer.

    Scalars in arrays are not indexed (the array's line stands in for them).
    """

    def __init__(self, text: str) -> None:
        self.lines: dict[str, int] = {}
        self._scan = self._pointers(text)

    def line(self, pointer: str) -> int | None:
        while pointer not in self.lines:
            if next(self._scan, None) is None:
                return None
        return self.lines[pointer]

    def _pointers(self, text: str) -> Iterator[str]:
        lines = self.lines
        stack: list[list[Any]] = []  # [pointer, is_object, index_or_key, expecting_key]
        line, last = 1, 0
        for match in _TOKEN.finditer(text):
            token, pos = match.group(), match.start()
            line += text.count("\n", last, pos)
            last = pos
            first = token[0]
            if first in "}]":
                stack.pop()
            elif first == ",":
                top = stack[-1]
                if top[1]:
                    top[3] = True
                else:
                    top[2] += 1
            elif first == ":":
                stack[-1][3] = False
            elif first == '"':
                if stack and stack[-1][1] and stack[-1][3]:
                    key = json.loads(token) if "\\" in token else token[1:-1]
                    stack[-1][2] = pointer_token(key)
                    pointer = f"{stack[-1][0]}/{stack[-1][2]}"
                    lines.setdefault(pointer, line)
                    yield pointer
            else:
                pointer = f"{stack[-1][0]}/{stack[-1][2]}" if stack else ""
                lines.setdefault(pointer, line)
                stack.append([pointer, True, "", True] if first == "{" else [pointer, False, 0, False])
                yield pointer
