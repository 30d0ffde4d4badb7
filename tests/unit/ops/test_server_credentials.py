"""Server URLs and passwords: split, remembered without the password, kept in a keyring."""

from __future__ import annotations

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null

from ketqual.ops.errors import OperationError
from ketqual.ops.team import server_ops


class MemoryKeyring(KeyringBackend):
    """A keyring that keeps passwords in a dict (what a real system keyring does on disk)."""

    priority = 10

    def __init__(self) -> None:
        super().__init__()
        self.kept: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.kept.get((service, username))

    def set_password(self, service, username, password):
        self.kept[(service, username)] = password

    def delete_password(self, service, username):
        self.kept.pop((service, username), None)


@pytest.fixture
def memory_keyring():
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(params=["fail", "null", "empty chainer"])
def no_keyring(request):
    previous = keyring.get_keyring()
    backend = {
        "fail": fail.Keyring,
        "null": null.Keyring,
        "empty chainer": lambda: chainer.ChainerBackend.__new__(chainer.ChainerBackend),
    }[request.param]()
    if request.param == "empty chainer":
        backend.__dict__["backends"] = []  # what the chainer holds when nothing else is usable
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def test_a_url_splits_into_address_and_password_and_back():
    address, password = server_ops.parse_url(
        "postgresql+psycopg://ann%40uni:p%40ss%3Aw%2Frd@db.example.org:6543/study%201"
    )
    assert address == server_ops.ServerAddress("db.example.org", "study 1", "ann@uni", 6543)
    assert password == "p@ss:w/rd"
    assert server_ops.parse_url(address.url(password)) == (address, password)
    assert address.key == "ann@uni@db.example.org:6543/study 1"


def test_defaults_and_bad_urls():
    address, password = server_ops.parse_url("postgresql://bob@localhost/proj")
    assert (address.port, address.driver, password) == (5432, "postgresql+psycopg", None)
    with pytest.raises(OperationError, match="names no database"):
        server_ops.parse_url("postgresql+psycopg://bob@host/")
    with pytest.raises(OperationError, match="postgresql"):
        server_ops.parse_url("mysql://bob@host/db")


def test_the_url_to_remember_has_no_password():
    url = "postgresql+psycopg://ann:s3cret@db.example.org/study"
    assert (
        server_ops.url_without_password(url) == "postgresql+psycopg://ann@db.example.org:5432/study"
    )
    assert server_ops.url_without_password("/home/ann/study.ketqual") == "/home/ann/study.ketqual"


def test_scrub_removes_the_password_in_both_spellings():
    url = "postgresql+psycopg://ann:p%40ss@host/db"
    text = "failed for postgresql+psycopg://ann:p%40ss@host/db (password p@ss)"
    assert (
        server_ops.scrub(text, url)
        == "failed for postgresql+psycopg://ann:***@host/db (password ***)"
    )
    assert server_ops.scrub("nothing", "study.ketqual") == "nothing"


def test_a_memory_keyring_keeps_and_returns_the_password(memory_keyring):
    state = server_ops.keyring_state()
    assert state.usable and "system keyring" in state.message
    address, _ = server_ops.parse_url("postgresql+psycopg://ann@db/study")
    assert server_ops.with_kept_password(address.url()) == address.url()  # nothing kept yet
    assert server_ops.save_password(address, "s3cret")
    assert memory_keyring.kept == {("KetQual", "ann@db:5432/study"): "s3cret"}
    assert server_ops.load_password(address) == "s3cret"
    assert server_ops.with_kept_password(address.url()) == address.url("s3cret")
    # a URL that carries its own password wins over the kept one
    assert server_ops.with_kept_password(address.url("other")) == address.url("other")
    server_ops.forget_password(address)
    assert server_ops.load_password(address) is None


def test_without_a_usable_keyring_nothing_is_stored(no_keyring):
    state = server_ops.keyring_state()
    assert not state.usable
    assert state.message == "No system keyring: the password will be asked each time."
    address, _ = server_ops.parse_url("postgresql+psycopg://ann@db/study")
    assert not server_ops.save_password(address, "s3cret")
    assert server_ops.load_password(address) is None
    server_ops.forget_password(address)  # no error either


def test_a_keyring_that_raises_counts_as_nothing_kept(memory_keyring, monkeypatch):
    def locked(*_args):
        raise keyring.errors.KeyringLocked("locked")

    monkeypatch.setattr(memory_keyring, "get_password", locked)
    monkeypatch.setattr(memory_keyring, "set_password", locked)
    address, _ = server_ops.parse_url("postgresql+psycopg://ann@db/study")
    assert not server_ops.save_password(address, "x")
    assert server_ops.load_password(address) is None
