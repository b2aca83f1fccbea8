"""Optional Ed25519 signatures over each chain link (the run's digest), with ``cryptography``."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

from soc2checks._errors import MissingDependencyError


def _crypto() -> Any:
    try:
        from cryptography.hazmat.primitives import serialization
    except ImportError:
        raise MissingDependencyError(
            "signing the evidence chain needs cryptography, which is not installed: "
            "pip install 'soc2checks[store]'"
        ) from None
    return serialization


def _read(path: str | Path, what: str) -> bytes:
    from soc2checks.store._open import StoreError

    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise StoreError(f"{path}: cannot read the {what}: {exc.strerror or exc}") from None


class Signer:
    """Signs chain links with an Ed25519 private key (PEM, unencrypted)."""

    def __init__(self, key_file: str | Path) -> None:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        from soc2checks.store._open import StoreError

        serialization = _crypto()
        try:
            key = serialization.load_pem_private_key(_read(key_file, "signing key"), None)
        except (ValueError, TypeError) as exc:
            raise StoreError(f"{key_file}: not an unencrypted PEM private key: {exc}") from None
        if not isinstance(key, Ed25519PrivateKey):
            raise StoreError(f"{key_file}: not an Ed25519 private key")
        self._key = key

    def sign(self, link: str) -> str:
        return base64.b64encode(self._key.sign(link.encode())).decode()


class Checker:
    """Verifies chain-link signatures with the Ed25519 public key (PEM)."""

    def __init__(self, key_file: str | Path) -> None:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

        from soc2checks.store._open import StoreError

        serialization = _crypto()
        try:
            key = serialization.load_pem_public_key(_read(key_file, "public key"))
        except (ValueError, TypeError) as exc:
            raise StoreError(f"{key_file}: not a PEM public key: {exc}") from None
        if not isinstance(key, Ed25519PublicKey):
            raise StoreError(f"{key_file}: not an Ed25519 public key")
        self._key = key

    def valid(self, link: str, signature: str | None) -> bool:
        from cryptography.exceptions import InvalidSignature

        if not signature:
            return False
        try:
            self._key.verify(base64.b64decode(signature), link.encode())
        except (InvalidSignature, ValueError):
            return False
        return True
