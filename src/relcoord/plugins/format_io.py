"""Reading and writing a study through a format: the one path, with its checks in one place.

Every read and write of a study ends here once its format is chosen:
[`read`][relcoord.plugins.manager.PluginHost.read] and ``write``, and through them
[`relcoord.plugins.read`][relcoord.plugins.read] /
[`relcoord.plugins.write`][relcoord.plugins.write], every command of the command line, ``relcoord
demo`` and plugin commands.  In order:

1. the options are checked against the format's declaration
   (`Format.read_options`,
   `Format.write_options`) and the host's own
   for study data (`STUDY_DATA_OPTIONS`),
   before a file is touched;
2. the format reads or writes; an exception that is not a relcoord error is a bug of the
   plugin and becomes a [`PluginError`][relcoord.plugins.registry.PluginError] naming it;
3. respondent ids follow [`relcoord.plugins.respondent_ids`][relcoord.plugins.respondent_ids]: study
   data keeps them by default, published results never see them;
4. output goes to a temporary path that is renamed into place only when the writer has
   finished ([`relcoord.atomic_files.atomic_path`][relcoord.atomic_files.atomic_path]).
"""

from __future__ import annotations

import errno
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, TypeVar

from relcoord.atomic_files import atomic_path
from relcoord.errors import InvalidInputError, RelcoordError, RelcoordWarning
from relcoord.formats.format_option import FormatOption, check_options
from relcoord.formats.format_type import Format
from relcoord.model import Study
from relcoord.plugins.registry import (
    FormatKind,
    LoadFailure,
    PluginError,
    PluginInfo,
    Stage,
    describe_exception,
)
from relcoord.plugins.respondent_ids import (
    STUDY_DATA_OPTIONS,
    format_view,
    split_options,
    study_data_view,
)

if TYPE_CHECKING:
    from relcoord.analysis import Analysis

__all__ = ["FILE_SYSTEM_ERRORS", "Owner", "options_of", "read_through", "run_guarded",
           "write_through"]

T = TypeVar("T")
#: Errors of the file system while a writer writes: reported as relcoord's one-line
#: [`OutputError`][relcoord.errors.OutputError], not as a plugin's bug.
FILE_SYSTEM_ERRORS: Final = frozenset({
    errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EACCES, errno.EPERM,
    errno.EIO, errno.ENAMETOOLONG,
})
#: Names the plugin that registered a format (for the errors of a plugin's bug).
Owner = Callable[[Format], PluginInfo]


def run_guarded(format: Format, stage: Stage, owner: Owner, call: Callable[[], T]) -> T:
    """``call()``, with any exception that is not a relcoord error turned into a
    [`PluginError`][relcoord.plugins.registry.PluginError] naming the plugin that owns ``format``.
    A relcoord warning that the warnings filter turned into an exception (``-W error``) passes as it
    is."""
    try:
        return call()
    except (RelcoordError, RelcoordWarning):
        raise
    except OSError as error:
        if stage != "write" or error.errno not in FILE_SYSTEM_ERRORS:
            raise _plugin_error(format, stage, owner, error) from error
        raise  # the file system failed, not the plugin: atomic_path says so in one line
    except Exception as error:
        raise _plugin_error(format, stage, owner, error) from error


def _plugin_error(format: Format, stage: Stage, owner: Owner, error: Exception) -> PluginError:
    return PluginError(LoadFailure(owner(format), stage,
                                   f"format {format.id!r}: {describe_exception(error)}"))


def options_of(format: Format, kind: FormatKind) -> tuple[FormatOption, ...] | None:
    """Every option reading (or writing) ``format`` takes: its own and the host's.

    ``None`` when the format declares none (it checks its own options).  The host's
    respondent options come with every importer and every writer of study data.
    """
    declared = format.read_options if kind == "read" else format.write_options
    if declared is None:
        return None
    if kind == "read" or format.carries == "study":
        return (*declared, *STUDY_DATA_OPTIONS)
    return declared


def _check(format: Format, kind: FormatKind, options: Mapping[str, Any]) -> None:
    known = options_of(format, kind)
    if known is not None:
        check_options(format.id, options, known)


def read_through(format: Format, source: str | Path, options: Mapping[str, Any], *,
                 owner: Owner) -> Study:
    """Read a study from ``source`` with ``format`` (see the module docstring)."""
    reader = format.read
    if reader is None:
        raise TypeError(f"format {format.id!r} cannot read")
    own, rest = split_options(options)
    _check(format, "read", rest)
    path = Path(source)
    if not path.exists():
        raise InvalidInputError(str(source), "no such file or folder")
    result = run_guarded(format, "read", owner, lambda: reader(path, rest))
    if not isinstance(result, Study):
        raise PluginError(LoadFailure(owner(format), "read", f"format {format.id!r} returned "
                                      f"{type(result).__name__}, expected a Study"))
    return study_data_view(result, own, where=str(source))


def write_through(format: Format, study: Study, destination: str | Path, *,
                  analysis: Analysis | None, options: Mapping[str, Any], owner: Owner) -> None:
    """Write ``study`` (and ``analysis``) to ``destination`` with ``format`` (see the module
    docstring); on any failure the destination is left as it was."""
    writer = format.write
    if writer is None:
        raise TypeError(f"format {format.id!r} cannot write")
    if format.carries == "analysis" and analysis is None:
        raise RelcoordError(
            f"format {format.id!r} writes an analysis; pass analysis=relcoord.analyze(study)")
    _check(format, "write", split_options(options)[1])
    shown, shown_analysis, rest = format_view(study, analysis, options, carries=format.carries,
                                              format_id=format.id, where=str(destination))
    with atomic_path(destination, directory=format.writes_directory) as temporary:
        run_guarded(format, "write", owner,
                    lambda: writer(shown, shown_analysis, temporary, rest))
