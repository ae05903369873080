"""Sharing's doors: the TAXII 2.1 server, mounted at /taxii2 as its own application."""

from __future__ import annotations

from tipline.server.protocols import ProtocolMount
from tipline.sharing.taxii.app import build

protocol = ProtocolMount("/taxii2", build)
