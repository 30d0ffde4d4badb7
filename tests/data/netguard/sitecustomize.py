"""Loaded by every Python process started with this folder first on PYTHONPATH (the no-network
test does that): any attempt to open a network connection or look a name up is written to
the file named by KETQUAL_NETGUARD_LOG and refused."""

import os
import socket

_LOG = os.environ.get("KETQUAL_NETGUARD_LOG")


def _refuse(what):
    def refused(*args, **kwargs):
        if _LOG:
            with open(_LOG, "a", encoding="utf-8") as handle:
                handle.write(f"{os.getpid()} {what} {args[1:2] or args[:1]!r}\n")
        raise OSError(f"network access is not allowed here ({what})")

    return refused


_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _guarded(real, what):
    def call(self, address, *args):
        if self.family in (socket.AF_INET, socket.AF_INET6):
            return _refuse(what)(self, address)
        return real(self, address, *args)

    return call


socket.socket.connect = _guarded(_real_connect, "connect")
socket.socket.connect_ex = _guarded(_real_connect_ex, "connect_ex")
for _name in (
    "getaddrinfo",
    "gethostbyname",
    "gethostbyname_ex",
    "gethostbyaddr",
    "create_connection",
):
    setattr(socket, _name, _refuse(_name))
