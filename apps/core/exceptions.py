"""Errors that services raise for the caller to show to a person."""


class ServiceError(Exception):
    """A rule refused the action. The message is plain language, safe to show, and has no PHI."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
