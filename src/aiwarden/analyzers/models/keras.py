"""The Keras model analyzer: HDF5 (``.h5``) models, Keras v3 archives and config JSON.

It reads only what can carry code, never weights, and never imports, unmarshals or
loads anything it reads:

* HDF5 files that look like Keras (``model_config``/``keras_version``/``layer_names``
  attributes, a ``model_weights`` group, ``*.weights.h5``): the ``model_config`` and
  ``training_config`` attributes, and the HDF5 object headers;
* Keras v3 archives, recognised by their members whatever the file name:
  ``config.json`` and the HDF5 object headers of ``*.weights.h5``;
* standalone Keras config JSON (``config.json`` of a Hugging Face Keras repository,
  ``model.to_json()`` output).

HDF5 files in the layout h5py writes by default are read by the pure-Python
:mod:`._hdf5_lite` (no h5py import, no native parser on hostile bytes); every other
HDF5 file is opened with h5py in a forked child, as the reference implementation.

Rules: ``AIW-MOD101`` Lambda bytecode, ``AIW-MOD102`` Lambda calling a named function,
``AIW-MOD103`` dangerous module/function references, ``AIW-MOD104`` code outside Keras,
``AIW-MOD105`` unparseable config, ``AIW-MOD106`` malformed archive, ``AIW-MOD107``
reads outside the model, ``AIW-MOD108`` HDF5 shape bombs.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, ClassVar

from aiwarden.analyzers._lazy import lazy_import
from aiwarden.analyzers.interface import Analyzer, Artifact, LimitExceeded, Limits
from aiwarden.analyzers.models._keras_rules import KERAS_RULES, UNPARSEABLE_CONFIG
from aiwarden.core.finding import Finding, make_finding
from aiwarden.core.formats import FileFormat
from aiwarden.core.rule import Rule

if TYPE_CHECKING:
    import h5py

    from aiwarden.analyzers.models import _keras_config as kconfig
    from aiwarden.analyzers.models import _keras_h5 as h5
    from aiwarden.analyzers.models import _keras_h5_lite as lite
    from aiwarden.analyzers.models import _keras_isolate as isolate
    from aiwarden.analyzers.models import _keras_issue as kissue
    from aiwarden.analyzers.models import keras_zip as kzip
    from aiwarden.analyzers.models import protobuf as pb
    from aiwarden.analyzers.models._keras_issue import Issue
else:  # imported on first use: most scans hold no Keras file, and few an HDF5 one
    h5py = lazy_import("h5py", before_fork=False)
    h5 = lazy_import("aiwarden.analyzers.models._keras_h5", before_fork=False)
    kconfig = lazy_import("aiwarden.analyzers.models._keras_config")
    lite = lazy_import("aiwarden.analyzers.models._keras_h5_lite")
    isolate = lazy_import("aiwarden.analyzers.models._keras_isolate")
    kissue = lazy_import("aiwarden.analyzers.models._keras_issue")
    kzip = lazy_import("aiwarden.analyzers.models.keras_zip")
    pb = lazy_import("aiwarden.analyzers.models.protobuf")

_JSON_HEAD = 4096
_SMALL_ZIP = 64 * 1024
"""Zips up to this size are searched whole for a Keras member name before ``zipfile``."""
_NAME_MARKERS = (b"metadata.json", b".weights.", b"config.json")
"""Every name :func:`_keras_zip.is_keras_names` accepts contains one of these bytes."""


class KerasAnalyzer(Analyzer):
    """Finds code-carrying constructs in Keras models without loading them."""

    name: ClassVar[str] = "model-keras"
    rules: ClassVar[tuple[Rule, ...]] = KERAS_RULES
    formats: ClassVar[frozenset[FileFormat]] = frozenset(
        {FileFormat.HDF5, FileFormat.ZIP, FileFormat.JSON, FileFormat.PROTOBUF}
    )

    def __init__(self) -> None:
        self._names: tuple[Artifact, list[str] | None] | None = None
        """The last zip whose member names were read, and the names (None: unreadable)."""

    def accepts(self, artifact: Artifact) -> bool:
        """HDF5 files, zips laid out as Keras v3 archives, and Keras config JSON."""
        if artifact.format is FileFormat.HDF5:
            return True
        if artifact.format is FileFormat.ZIP:
            return self._is_keras_zip(artifact)
        if artifact.format is FileFormat.JSON:
            return _is_keras_json(artifact)
        return artifact.format is FileFormat.PROTOBUF and artifact.name == KERAS_METADATA

    def claims(self, artifact: Artifact) -> bool:
        """Keras v3 archives: their config and weights are read here."""
        return artifact.format is FileFormat.ZIP and self._is_keras_zip(artifact)

    def claimed_members(self, artifact: Artifact) -> frozenset[str] | None:
        """Only the config, metadata and weights: the engine expands the rest (``assets/``
        can hold anything, pickles included) for the other analyzers."""
        names = self._zip_names(artifact) or []  # unreadable: only the fixed names
        weights = {n for n in names if kzip.is_weights_h5(n)}
        return frozenset({kzip.CONFIG, kzip.METADATA, *kzip.WEIGHTS, *weights})

    def _is_keras_zip(self, artifact: Artifact) -> bool:
        if artifact.size <= _SMALL_ZIP and not _may_name_keras_members(artifact):
            return False
        names = self._zip_names(artifact)
        # None: not a readable zip; the pickle analyzer and the engine report it
        return names is not None and kzip.is_keras_names(names)

    def _zip_names(self, artifact: Artifact) -> list[str] | None:
        """The member names ``zipfile`` reads from ``artifact``, None if it cannot.

        The engine asks :meth:`accepts`, :meth:`claims` and :meth:`claimed_members` about
        one artifact back to back, so the last answer is kept for that same
        :class:`Artifact` object (held here, so no other object can share its identity):
        each zip's directory is read once per file instead of three times.
        """
        last = self._names
        if last is not None and last[0] is artifact:
            return last[1]
        names = _read_zip_names(artifact)
        self._names = (artifact, names)
        return names

    def analyze(self, artifact: Artifact, limits: Limits) -> Iterable[Finding]:
        """Yield the findings for ``artifact``; raise ``LimitExceeded`` at a bound."""
        if artifact.format is FileFormat.HDF5:
            located: Iterator[tuple[str | None, Issue]] = _h5_issues(artifact, limits)
        elif artifact.format is FileFormat.ZIP:
            located = kzip.archive_issues(str(artifact.path), artifact.relpath, limits)
        elif artifact.format is FileFormat.PROTOBUF:
            located = ((None, issue) for issue in _metadata_pb_issues(artifact))
        else:
            located = ((None, issue) for issue in _json_issues(artifact))
        for member, issue in located:
            yield _finding(artifact, member, issue)


def _finding(artifact: Artifact, member: str | None, issue: Issue) -> Finding:
    return make_finding(
        issue.rule,
        artifact.location(member=member),
        issue.message,
        severity=issue.severity,
        confidence=issue.confidence,
        evidence=issue.evidence,
        fingerprint_key=issue.key,
    )


def _read_zip_names(artifact: Artifact) -> list[str] | None:
    import zipfile  # loaded with the first zip, not with every scan's registry

    try:
        with zipfile.ZipFile(artifact.path) as archive:
            return archive.namelist()
    except Exception:  # not a readable zip, whatever the reason
        return None


def _may_name_keras_members(artifact: Artifact) -> bool:
    """False only if no member of the zip can have a name that makes it a Keras archive.

    ``zipfile`` takes member names from the file's own bytes, decoded as UTF-8 or
    cp437: both map each ASCII character to the same single byte and never produce one
    from other bytes (a NUL only cuts a name short). So a name containing one of
    :data:`_NAME_MARKERS` needs those bytes somewhere in the file, and a small zip
    without any is answered without parsing it. An unreadable file is left to the
    full check.
    """
    try:
        with artifact.open() as handle:
            data = handle.read(_SMALL_ZIP + 1)
    except OSError:
        return True
    return len(data) > _SMALL_ZIP or any(marker in data for marker in _NAME_MARKERS)


def _is_keras_json(artifact: Artifact) -> bool:
    if artifact.size > kconfig.MAX_CONFIG_BYTES:
        return artifact.name == kzip.CONFIG
    try:
        with artifact.open() as handle:
            head = handle.read(_JSON_HEAD)
    except OSError:
        return False
    return b'"class_name"' in head and (b'"config"' in head or b'"module"' in head)


def _json_issues(artifact: Artifact) -> Iterator[Issue]:
    config, problem = kconfig.parse_config(
        artifact.read_bytes(kconfig.MAX_CONFIG_BYTES), artifact.name
    )
    if problem is not None or not isinstance(config, dict):
        return  # not a Keras config after all; JSON validity is not this analyzer's concern
    if kconfig.shape_issue(artifact.name, config) is None:
        yield from kconfig.walk_config(config, artifact.name)


def _h5_issues(artifact: Artifact, limits: Limits) -> Iterator[tuple[str | None, Issue]]:
    summary = lite.summary_of(artifact.path)
    if summary is not None:  # a plain file: read without h5py, nothing native runs
        if not lite.is_keras(summary, artifact.name):
            return iter(())
        return ((None, issue) for issue in lite.config_issues(summary.attributes))
    what = f"HDF5 file {artifact.name}"
    h5.is_keras  # noqa: B018 - load h5py here once, not in every forked child
    return isolate.run_isolated(
        lambda: _h5_issues_inline(artifact),
        what,
        limits.timeout_s,
        in_disposable_process=limits.in_disposable_process,
    )


def _h5_issues_inline(artifact: Artifact) -> Iterator[tuple[str | None, Issue]]:
    try:
        handle = h5py.File(artifact.path, "r")
    except Exception as exc:  # corrupt or hostile container: fail closed
        yield None, _h5_problem(artifact, f"the HDF5 container could not be opened ({exc})")
        return
    with handle:
        try:
            if not h5.is_keras(handle, artifact.name):
                return
            yield from ((None, issue) for issue in _h5_config_issues(handle))
            for issue in h5.structure_issues(handle, "the HDF5 file"):
                yield None, issue
        except LimitExceeded:
            raise
        except Exception as exc:  # h5py errors on corrupt object headers
            yield None, _h5_problem(artifact, f"the HDF5 structure could not be read ({exc})")


KERAS_METADATA = "keras_metadata.pb"
"""The Keras side file of a TF SavedModel: a ``SavedMetadata`` protobuf whose nodes carry
each layer's config as JSON (Lambda bytecode included)."""
_NODES, _NODE_METADATA = 1, 5  # SavedMetadata.nodes, SavedObject.metadata


def _metadata_pb_issues(artifact: Artifact) -> Iterator[Issue]:
    """Walk every node's JSON metadata in ``keras_metadata.pb`` like a model config."""
    try:
        with pb.mapped(artifact.path) as buf:
            walker = pb.Walker(buf)
            for index, node in enumerate(walker.fields(0, walker.size)):
                if node.number != _NODES or node.wire != pb.LEN:
                    continue
                for field in walker.fields(node.start, node.end):
                    if field.number == _NODE_METADATA and field.wire == pb.LEN:
                        yield from _metadata_json(
                            walker.data(field, kconfig.MAX_CONFIG_BYTES), index
                        )
    except pb.ProtobufError as exc:
        yield kissue.Issue(
            UNPARSEABLE_CONFIG,
            f"Keras SavedModel metadata {artifact.name} could not be checked: it is not a "
            f"valid protobuf ({exc}).",
            evidence=str(exc)[:300],
            key="keras-metadata-unreadable",
        )


def _metadata_json(data: bytes, index: int) -> Iterator[Issue]:
    source = f"{KERAS_METADATA} node {index}"
    config, problem = kconfig.parse_config(data, source)
    if problem is not None:
        yield problem
    elif isinstance(config, dict):
        yield from kconfig.walk_config(config, source)


def _h5_problem(artifact: Artifact, why: str) -> Issue:
    return kissue.Issue(
        UNPARSEABLE_CONFIG,
        f"Keras HDF5 model {artifact.name} could not be checked: {why[:240]}.",
        evidence=why[:300],
        key="h5-unreadable",
    )


def _h5_config_issues(handle: h5py.File) -> Iterator[Issue]:
    return lite.config_issues(handle.attrs, h5.attribute_text)
