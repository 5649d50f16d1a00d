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


class GrantRevoked(NotAllowed):
    """The grant a connection joined with no longer holds: its link was replaced, its
    organiser removed from the event, or the event deleted."""

    def __init__(self):
        from flask_babel import gettext as _
        super().__init__(_("Your access to this workshop has ended: the link was replaced, "
                           "you were removed from the event, or it was deleted."))


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    status = 409


class Gone(DomainError):
    status = 410


class Unavailable(DomainError):
    """A helper the request needs (the suggestion worker) is not answering right now."""
    status = 503
