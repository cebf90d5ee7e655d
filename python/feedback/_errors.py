"""The exceptions of libfeedback: one class per status code of the C library."""

from . import _swig


class Error(Exception):
    """An error of libfeedback.

    ``str(error)`` is the library's message, which starts with the field at
    fault (``channel: unknown channel 'emial' (did you mean 'email'?)``).
    Where known, ``field`` names the field, ``line`` the 1-based line of a
    CSV or JSON Lines input and ``offset`` the byte offset in the input or
    file; ``code`` is the C library's status code (negative).
    """

    def __init__(self, message="", code=0, field="", line=0, offset=0):
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field
        self.line = line
        self.offset = offset

    def __str__(self):
        return f"line {self.line}: {self.message}" if self.line else self.message


class InvalidArgument(Error, ValueError):
    """An impossible argument, or a call on a closed object."""


class ClosedError(InvalidArgument):
    """A reader, writer, chain or summary used after close()."""


class OutOfMemory(Error, MemoryError):
    """An allocation failed."""


class FileError(Error, OSError):
    """The system refused a read, write or open."""


class DataError(Error, ValueError):
    """Bad data: malformed, out of range, an unknown name, too long, ..."""


class ParseError(DataError):
    """Malformed text: CSV, JSON, a time, a number."""


class Utf8Error(DataError):
    """A string that is not UTF-8."""


class RangeError(DataError):
    """A number outside its allowed range (an NPS of 11)."""


class UnknownNameError(DataError):
    """A name that is none of an enumeration's (a misspelt channel)."""


class MissingError(DataError):
    """A required field or column is absent."""


class TooLongError(DataError):
    """A string or list over its documented limit."""


class InconsistentError(DataError):
    """Fields that contradict each other (an update without ref_id)."""


class DuplicateError(DataError):
    """A key, column or answer that appears twice."""


class CorruptError(Error):
    """Stored data that fails its checksum or structure."""


class VersionError(Error):
    """A log written by a newer, incompatible format version."""


class FormatError(Error):
    """Not a file of the expected kind (not a log)."""


_BY_CODE = {
    -1: InvalidArgument, -2: OutOfMemory, -3: FileError, -4: ParseError, -5: Utf8Error,
    -6: RangeError, -7: UnknownNameError, -8: MissingError, -9: TooLongError,
    -10: InconsistentError, -11: DuplicateError, -12: CorruptError, -13: VersionError,
    -14: FormatError,
}

_swig.fbb_py_set_errors(_BY_CODE)
