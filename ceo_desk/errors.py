"""The one hierarchy of errors a person can act on; the UI shows the message, the CLI prints it."""


class CeoDeskError(Exception):
    """Base of every error whose message is meant for the user."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message


class ValidationError(CeoDeskError):
    """An input is malformed or missing; `field` names it so the UI can show it beside the field."""


class LifecycleError(CeoDeskError):
    """The action is not allowed in the complaint's current status."""


class ConflictError(CeoDeskError):
    """Someone else saved the same record since it was read."""


class NotFoundError(CeoDeskError):
    """A reference, id or name does not exist."""


class StorageError(CeoDeskError):
    """The database cannot be opened or written (missing, locked, corrupt, newer, disk full)."""


class PermissionDenied(CeoDeskError):
    """The person's roles do not allow the action; the message names the role and who holds it."""


class PasswordNeeded(StorageError):
    """The PostgreSQL server asks for a login's password: none is kept, or the one given was
    refused. `service` and `login` name it in the keyring (see `ceo_desk.secrets`)."""

    def __init__(self, message: str, *, service: str, login: str, refused: bool) -> None:
        super().__init__(message)
        self.service = service
        self.login = login
        self.refused = refused
