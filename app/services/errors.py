"""Domain errors: a refusal with a message a person can act on."""


class DomainError(Exception):
    """The request was understood but refused; nothing was changed."""

    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidInput(DomainError):
    status = 400


class NotAllowed(DomainError):
    status = 403


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    status = 409


class Gone(DomainError):
    status = 410


class Unavailable(DomainError):
    """A helper the request needs (the suggestion worker) is not answering right now."""
    status = 503
