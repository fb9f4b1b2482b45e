"""Content-addressed files for photos and other blobs: idempotent, resumable uploads checked by SHA-256.

Each uploader's copy grows in `partial/<sha>.<uploader>`; when its last byte arrives its hash is
checked and it becomes `<sha[:2]>/<sha>` (kept once, however many send it). Every uploader sends
the bytes in full, so knowing a hash never gives access to a file.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from pathlib import Path

MAX_BLOB_BYTES = 25 * 1024 * 1024
_SHA = re.compile(r"^[0-9a-f]{64}$")


class BlobError(ValueError):
    def __init__(self, da: str, en: str) -> None:
        super().__init__(en)
        self.da, self.en = da, en


def check_hash(sha256: str) -> str:
    if not _SHA.match(sha256):
        raise BlobError(
            "Ugyldig filnøgle (SHA-256 i små hex-tegn).", "Not a SHA-256 key (64 lower-case hex digits)."
        )
    return sha256


def content_range(header: str | None, length: int) -> tuple[int, int]:
    """Where a chunk of `length` bytes goes: its `Content-Range: bytes <start>-<end>/<total>` header as
    (start, total) in bytes; no header means the whole blob in one go, (0, length).

    Raises BlobError (Danish, English) when the header cannot be read, is not in bytes, or does not
    match the chunk (end - start + 1 must be its length, end before total). The HTTP side answers 400.
    """
    if header is None:
        return 0, length
    try:
        unit, rest = header.split(" ", 1)
        span, total_text = rest.split("/")
        start_text, end_text = span.split("-")
        start, end, total = int(start_text), int(end_text), int(total_text)
    except ValueError:
        raise BlobError("Ugyldig Content-Range.", "Invalid Content-Range.") from None
    if unit != "bytes" or end - start + 1 != length or end >= total:
        raise BlobError("Content-Range passer ikke til data.", "Content-Range does not match the data.")
    return start, total


class BlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "partial").mkdir(parents=True, exist_ok=True)

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def _partial(self, sha256: str, uploader: str) -> Path:
        return self.root / "partial" / f"{sha256}.{uploader}"

    def has(self, sha256: str) -> bool:
        return self.path(check_hash(sha256)).exists()

    def offset(self, sha256: str, uploader: str) -> int:
        """How many bytes of this uploader's unfinished upload the store holds."""
        partial = self._partial(check_hash(sha256), uploader)
        return partial.stat().st_size if partial.exists() else 0

    def append(self, sha256: str, uploader: str, start: int, data: bytes, total: int) -> bool:
        """Write `data` at `start` of a blob of `total` bytes; True once the whole blob is checked and stored."""
        check_hash(sha256)
        if total > MAX_BLOB_BYTES:
            raise BlobError("Filen er for stor (over 25 MB).", "The file is too large (over 25 MB).")
        partial = self._partial(sha256, uploader)
        have = partial.stat().st_size if partial.exists() else 0
        if start != have:
            raise BlobError(
                f"Upload skal fortsætte ved byte {have}.", f"The upload must continue at byte {have}."
            )
        if start + len(data) > total:
            raise BlobError("Mere data end filens størrelse.", "More data than the file's size.")
        with partial.open("ab") as out:
            out.write(data)
        if start + len(data) < total:
            return False
        digest = hashlib.sha256()
        with partial.open("rb") as done:
            for chunk in iter(lambda: done.read(1 << 20), b""):
                digest.update(chunk)
        if digest.hexdigest() != sha256:
            partial.unlink()
            raise BlobError(
                "Filen kom ikke rigtigt frem. Send den igen.", "The file arrived damaged. Send it again."
            )
        final = self.path(sha256)
        final.parent.mkdir(exist_ok=True)
        os.replace(partial, final)  # atomic; an identical file from another uploader is simply replaced
        return True

    def remove_abandoned(self, older_than_seconds: float, now: float | None = None) -> int:
        """Delete unfinished uploads nobody has added to for `older_than_seconds`; returns how many."""
        cutoff = (time.time() if now is None else now) - older_than_seconds
        removed = 0
        for partial in (self.root / "partial").iterdir():
            if partial.is_file() and partial.stat().st_mtime < cutoff:
                partial.unlink(missing_ok=True)
                removed += 1
        return removed
