"""The error a data file that cannot be read raises (DataFileError), and its form for several
problems in one file (FileProblems).

Apart from the YAML reader (yamlfile, which most callers import them from) so that a module
that only names them, such as the working days' (zh.workdays: a site sent to the build's second
process holds its calendar), does not import PyYAML and the reader with them.
"""

from __future__ import annotations

from ..findings import Location


class DataFileError(Exception):
    """A data file that cannot be read at all. Carries a Chinese message and a location.

    `problems` lists every problem to report: the error itself, or (for `FileProblems`)
    all the problems found in the file.
    """

    def __init__(self, code: str, message: str, location: Location, hint: str = "",
                 excerpt: str = ""):
        super().__init__(message)
        self.code = code
        self.message = message
        self.location = location
        self.hint = hint
        self.excerpt = excerpt
        self.problems: list[DataFileError] = [self]


class FileProblems(DataFileError):
    """Several problems in one file: behaves as the first, `problems` holds them all."""

    def __init__(self, problems: list[DataFileError]):
        first = problems[0]
        super().__init__(first.code, first.message, first.location, first.hint, first.excerpt)
        self.problems = problems
