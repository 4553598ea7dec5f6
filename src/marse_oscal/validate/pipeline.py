"""The validation pipeline: loaders -> parsers -> checkers (schema, model, integrity, MARS-E) -> result."""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from marse_oscal.content import ContentStore
from marse_oscal.errors import MarseError
from marse_oscal.hrefs import HrefLocator
from marse_oscal.schema import MODELS
from marse_oscal.settings import Settings
from marse_oscal.validate.findings import FileReport, Finding, Layer, Severity, ValidationResult
from marse_oscal.validate.loaders import DEFAULT_MAX_BYTES, discover, read_limited
from marse_oscal.validate.parsers import ParsedDocument, ParseError, parse

if TYPE_CHECKING:
    from marse_oscal.profile.resolve import ResolvedCatalog
    from marse_oscal.validate.checkers.integrity import DocumentIndex

MARSE_PROFILE_NAME = "mars-e-2.0"
MODEL_DEFAULT_SCOPE = frozenset(
    {"system-security-plan", "component-definition", "plan-of-action-and-milestones", "assessment-plan",
     "assessment-results"}
)  # fmt: skip
PARALLEL_MIN_FILES = 4


@dataclass(frozen=True)
class ValidationOptions:
    """How to validate: which layers, against which profile, with which companion documents."""

    layers: frozenset[Layer] = frozenset(Layer)
    # trestle's models are generated from the same schema, so on a schema-valid document they only add
    # trestle compatibility: by default checked for the documents that go on to trestle tooling
    # (marse-oscal resolves catalogs and profiles itself). Explicit `--layers ...,model` means all models.
    model_scope: frozenset[str] = MODEL_DEFAULT_SCOPE
    profile: str | None = None  # "mars-e-2.0" or a profile path: forces the MARS-E rules / id checks
    with_files: tuple[Path, ...] = ()
    max_bytes: int = DEFAULT_MAX_BYTES
    jobs: int = 0  # 0: one per core when there are enough files


def repository_root(path: Path) -> Path:
    """The boundary hrefs may not leave: the git (or trestle) root above the file; outside any repository,
    the working directory when it holds the file, else the file's folder."""
    folder = path.resolve().parent
    for candidate in [folder, *folder.parents]:
        if (candidate / ".git").exists() or (candidate / ".trestle").is_dir():
            return candidate
    cwd = Path.cwd().resolve()
    return cwd if folder.is_relative_to(cwd) else folder


@dataclass
class Validator:
    """Validates documents; holds what is worth reusing across files (compiled schemas, resolved profiles)."""

    options: ValidationOptions = field(default_factory=ValidationOptions)
    store: ContentStore = field(default_factory=ContentStore)

    def __post_init__(self) -> None:
        from marse_oscal.validate.checkers.integrity import IntegrityContext
        from marse_oscal.validate.checkers.schema import SchemaChecker

        self.schema = SchemaChecker(self.store)
        self._forced: ResolvedCatalog | None = None
        self.context = IntegrityContext(HrefLocator(self.store))
        self.context.companions = [self._companion(p) for p in self.options.with_files]

    def _companion(self, path: Path) -> DocumentIndex:
        from marse_oscal.validate.checkers.integrity import index_document

        try:
            return index_document(parse(str(path), read_limited(path, self.options.max_bytes)).data)
        except ParseError as exc:
            raise MarseError(f"{path}: --with document cannot be read: {exc}") from None

    def validate_file(self, path: Path) -> FileReport:
        report = FileReport(str(path))
        try:
            document = parse(path.name, read_limited(path, self.options.max_bytes))
        except ParseError as exc:
            report.add(Finding(Layer.parse, exc.rule, Severity.error, str(exc), line=exc.line))
            return report
        report.format, report.model = document.format, document.model
        for finding in self._layers(document, path):
            report.add(finding)
        return report

    def validate_document(self, document: ParsedDocument, path: Path) -> list[Finding]:
        """All layers after parsing, for a document already in memory (library use)."""
        return list(self._layers(document, path))

    def _layers(self, document: ParsedDocument, path: Path) -> list[Finding]:
        layers = self.options.layers
        findings: list[Finding] = []
        if Layer.schema in layers:
            findings.extend(self.schema.check(document))
        schema_ok = not any(f.severity is Severity.error for f in findings)
        if document.model not in MODELS:
            return findings
        if (
            Layer.model in layers
            and schema_ok
            and document.format != "xml"
            and document.model in self.options.model_scope
        ):
            from marse_oscal.validate.checkers.model import check_model

            findings.extend(check_model(document))
        if Layer.integrity in layers or Layer.marse in layers:
            from marse_oscal.validate.checkers.integrity import check_integrity

            self.context.locator.boundary = repository_root(path)
            integrity = check_integrity(document, path.resolve(), self.context)
            if Layer.integrity in layers:
                findings.extend(integrity)
        if Layer.marse in layers and document.model == "system-security-plan":
            findings.extend(self._marse(document, path))
        return findings

    def _marse(self, document: ParsedDocument, path: Path) -> list[Finding]:
        from marse_oscal.validate.checkers.marse import check_marse, is_marse_catalog

        catalog = self.context.document_catalogs.get(str(path.resolve()))
        if self.options.profile:
            catalog = self._forced_profile()
        if catalog is None or not is_marse_catalog(catalog):
            return []
        return check_marse(document, catalog)

    def _forced_profile(self) -> ResolvedCatalog:
        """The profile named by --profile: chosen by the user, so not bound to the document's repository."""
        from marse_oscal.profile.resolve import default_profile_path, resolve_profile

        if self._forced is None:
            name = self.options.profile or MARSE_PROFILE_NAME
            path = default_profile_path() if name == MARSE_PROFILE_NAME else Path(name)
            self._forced = resolve_profile(path, self.store)
        return self._forced


def _worker_validate(args: tuple[ValidationOptions, Settings, list[str]]) -> list[FileReport]:
    options, settings, paths = args
    validator = Validator(options, ContentStore(settings))
    return [validator.validate_file(Path(p)) for p in paths]


def validate_paths(
    arguments: Sequence[str], options: ValidationOptions | None = None, settings: Settings | None = None
) -> ValidationResult:
    """Validate every file the arguments name (files, directories, globs), in parallel when worth it."""
    options = options or ValidationOptions()
    settings = settings or Settings.load()
    files = discover(arguments)
    jobs = min(options.jobs or (os.cpu_count() or 1), len(files))
    if jobs > 1 and len(files) >= PARALLEL_MIN_FILES:
        chunks = [[str(f) for f in files[i::jobs]] for i in range(jobs)]
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            parts = list(pool.map(_worker_validate, [(options, settings, c) for c in chunks]))
        by_path = {r.path: r for part in parts for r in part}
        return ValidationResult([by_path[str(f)] for f in files])
    validator = Validator(options, ContentStore(settings))
    return ValidationResult([validator.validate_file(f) for f in files])
