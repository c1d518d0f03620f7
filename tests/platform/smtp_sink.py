"""A real SMTP server for the platform's tests (aiosmtpd), recording what it accepts."""

from __future__ import annotations

from typing import Any


class SmtpSink:
    """A real SMTP server (aiosmtpd) on a free local port, recording what it accepts.

    ``refuse`` holds addresses answered 550 (the address does not exist, a permanent
    failure); ``busy`` is how many next messages get 451 (try again later, temporary).
    """

    def __init__(self) -> None:
        self.messages: list[Any] = []
        self.refuse: set[str] = set()
        self.busy = 0
        self.port = 0
        self._controller: Any = None

    async def handle_RCPT(self, server, session, envelope, address, options):  # noqa: N802
        if address.lower() in self.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        if self.busy:
            self.busy -= 1
            return "451 4.3.0 Busy, try again later"
        import email
        from email import policy

        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"

    def start(self) -> None:
        import socket

        from aiosmtpd.controller import Controller

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = int(sock.getsockname()[1])
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None
