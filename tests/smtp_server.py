"""A real SMTP server on the loopback interface (aiosmtpd), on a free port, for tests that send.

`SmtpServer` keeps every message it accepted (envelope and parsed message) and refuses the
addresses in `unknown`. It can be stopped
and started again on the same port, so a test can take the mail server away mid-run, and it
drops the connection on the messages numbered in `drop_at_data`. Tests get
one from the `smtp_server` fixture (tests/conftest.py); `use_server` points a log at it.

With `security="starttls"` it takes nothing before STARTTLS; with `security="tls"` it speaks TLS
from the first byte; either way with the certificate in `tls` (`server_tls`: one issued by a
test authority). With `logins` it asks every client to sign in, over TLS only.
"""

from __future__ import annotations

import socket
import ssl
from dataclasses import dataclass, replace
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from ceo_desk.core.services import office
from ceo_desk.store.db import Database

HOST = "127.0.0.1"


@dataclass(frozen=True)
class Received:
    """One message as the server accepted it."""

    mail_from: str
    recipients: tuple[str, ...]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def body(self) -> str:
        part = self.message.get_body(("plain",))
        assert part is not None
        text = part.get_content()
        assert isinstance(text, str)
        return text.replace("\r\n", "\n").rstrip("\n")


class _Keeper:
    def __init__(self, server: SmtpServer) -> None:
        self._server = server

    async def handle_RCPT(
        self, _server: Any, _session: Any, envelope: Any, address: str, _options: Any
    ) -> str:
        if address in self._server.unknown:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, _session: Any, envelope: Any) -> str:
        self._server.data_seen += 1
        if self._server.data_seen in self._server.drop_at_data:
            # The line breaks while the message is on its way: nothing accepted, no answer.
            server.transport.close()
            return "421 4.4.2 Connection dropped"
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self._server.received.append(
            Received(envelope.mail_from, tuple(envelope.rcpt_tos), message)
        )
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def server_tls(authority: trustme.CA, host: str = HOST) -> ssl.SSLContext:
    """A server's TLS context with a certificate for `host` issued by `authority`."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert(host).configure_cert(context)
    return context


class SmtpServer:
    def __init__(
        self,
        *,
        security: str = "none",
        tls: ssl.SSLContext | None = None,
        logins: dict[str, str] | None = None,
    ) -> None:
        assert security in ("none", "starttls", "tls")
        assert (security == "none") == (tls is None), "STARTTLS and TLS need a certificate"
        self.port = free_port()
        self.security = security
        self.received: list[Received] = []
        self.unknown: set[str] = set()  # addresses answered "550 no such user"
        self.logins = logins  # user -> password; None: nobody signs in
        self.signed_in: list[str] = []
        self.data_seen = 0  # messages offered (DATA), counted across restarts
        self.drop_at_data: set[int] = set()  # which of them (1 = the first) drop the connection
        self._tls = tls
        self._controller: Controller | None = None

    def start(self) -> None:
        assert self._controller is None
        options: dict[str, Any] = {}
        if self.security == "starttls":
            options.update(tls_context=self._tls, require_starttls=True)
        elif self.security == "tls":
            options.update(ssl_context=self._tls)
        if self.logins is not None:
            options.update(authenticator=self._authenticate, auth_required=True)
        self._controller = Controller(_Keeper(self), hostname=HOST, port=self.port, **options)
        self._controller.start()

    def _authenticate(
        self, _server: Any, _session: Any, _envelope: Any, _mechanism: str, data: Any
    ) -> AuthResult:
        assert self.logins is not None
        if isinstance(data, LoginPassword):
            user, password = data.login.decode(), data.password.decode()
            if self.logins.get(user) == password:
                self.signed_in.append(user)
                return AuthResult(success=True)
        return AuthResult(success=False, handled=False)

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def running(self) -> bool:
        return self._controller is not None


def use_server(
    db: Database, server: SmtpServer, *, sender: str = "ceo.office@example.com", user: str = ""
) -> None:
    """Point the log's office settings at `server`, with its security, signing in as `user`
    (none by default: the loopback)."""
    with db.transaction() as uow:
        settings = office.load_settings(uow)
        office.save_settings(
            uow,
            replace(
                settings,
                smtp_host=HOST,
                smtp_port=server.port,
                smtp_security=server.security,
                smtp_user=user,
                mail_from=sender,
            ),
        )
