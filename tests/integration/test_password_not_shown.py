"""A password written into a database URL is never repeated back in an error message."""

from __future__ import annotations

import socket

import pytest

from ceo_desk.cli import main


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://clerk:Secret-Pa55@127.0.0.1:{port}/office",
        "postgresql+psycopg://clerk:Secret-Pa55@127.0.0.1:{port}/office?connect_timeout=x",
        "postgresql+nodriver://clerk:Secret-Pa55@127.0.0.1:{port}/office",
    ],
)
def test_a_refused_connection_does_not_show_the_password(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["list", "--db", url.format(port=_closed_port())])
    out, err = capsys.readouterr()
    assert code == 2
    assert err.strip(), "the person is told what went wrong"
    assert "Secret-Pa55" not in out + err
    assert "clerk" in err or "127.0.0.1" in err, err
