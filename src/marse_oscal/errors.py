"""Expected failures that carry a one-line, user-facing reason instead of a traceback."""


class MarseError(Exception):
    """A failure the user can act on; the CLI prints its message on one line and exits with code 2."""

    exit_code = 2


class ContentError(MarseError):
    """Upstream content could not be found, fetched or trusted."""


class DigestMismatchError(ContentError):
    """Bytes of a pinned artifact differ from the digest in the manifest."""

    def __init__(self, url: str, expected: str, actual: str, where: str) -> None:
        super().__init__(f"sha256 mismatch for {url} ({where}): expected {expected}, got {actual}")
        self.url = url
        self.expected = expected
        self.actual = actual
        self.where = where

    def __reduce__(self) -> tuple[type, tuple[str, str, str, str]]:
        """Rebuild from the four fields, so the error crosses from a parallel validation worker intact."""
        return type(self), (self.url, self.expected, self.actual, self.where)


class InputError(MarseError):
    """A user-supplied file or argument cannot be used."""


class UnknownControlError(InputError):
    """A control id that the profile does not select."""
