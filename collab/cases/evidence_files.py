"""Evidence files (整改佐证材料) of rectification tasks: checked for what they claim to be,
kept under the instance folder by the SHA-256 of their content, listed on their task.

A file is taken only when its name is a bare name with an extension people send evidence
in (PDF, images, Office documents) and its first bytes are that kind of file: a program
renamed to .pdf is refused, as is a file over the size limit. The bytes live at
`<instance>/evidence/<first two hex digits>/<sha256>` (the same file attached twice is kept
once); the task lists each attachment as one line of tab-separated fields (`files`).
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from collab.errors import N_, NotFound, ValidationError
from collab.files import write_new

# extension -> (content type, what its first bytes must be)
KINDS: dict[str, tuple[str, str]] = {
    "pdf": ("application/pdf", "pdf"), "png": ("image/png", "png"),
    "jpg": ("image/jpeg", "jpeg"), "jpeg": ("image/jpeg", "jpeg"), "gif": ("image/gif", "gif"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation",
             "pptx"),
    "doc": ("application/msword", "ole"), "xls": ("application/vnd.ms-excel", "ole"),
}
_MAGIC = {"pdf": (b"%PDF-",), "png": (b"\x89PNG\r\n\x1a\n",), "jpeg": (b"\xff\xd8\xff",),
          "gif": (b"GIF87a", b"GIF89a"), "ole": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)}
# the part an Office Open XML package of each kind must hold
_OOXML = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "pptx": "ppt/presentation.xml"}
_SHA = re.compile(r"[0-9a-f]{64}")
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|\t]")


@dataclass(frozen=True)
class Attachment:
    """One file attached to a task: its content's hash, size and type, name, when and by whom."""

    sha256: str
    size: int
    content_type: str
    on: date
    by: str
    name: str

    def line(self) -> str:
        """How the task keeps it (`Rectification.files`)."""
        return "\t".join([self.sha256, str(self.size), self.content_type, self.on.isoformat(),
                          self.by, self.name])

    @classmethod
    def of(cls, line: str) -> Attachment:
        sha, size, kind, on, by, name = line.split("\t", 5)
        return cls(sha, int(size), kind, date.fromisoformat(on), by, name)


def checked(name: str, data: bytes, *, max_bytes: int) -> tuple[str, str]:
    """The file's bare name and content type, if it is what its name says and small enough
    (else ValidationError saying which)."""
    if not name or any(c in name for c in "/\\\0") or name.startswith(".."):
        raise ValidationError(N_("the file name may not contain a folder path"))
    if _UNSAFE.search(name) or len(name) > 200:
        raise ValidationError(N_("the file name has characters a file name cannot have"))
    ext = name.rpartition(".")[2].lower() if "." in name else ""
    if ext not in KINDS:
        raise ValidationError(N_("only PDF, images (png, jpg, gif) and Office documents (docx, "
                                 "xlsx, pptx, doc, xls) may be attached, not %(name)s"),
                              name=name)
    if not data:
        raise ValidationError(N_("%(name)s is empty"), name=name)
    if len(data) > max_bytes:
        raise ValidationError(N_("%(name)s is larger than %(mb)s MB"), name=name,
                              mb=max_bytes // (1024 * 1024))
    content_type, shape = KINDS[ext]
    if not _looks_like(shape, data):
        raise ValidationError(N_("%(name)s is not the kind of file its name says (.%(ext)s)"),
                              name=name, ext=ext)
    return name, content_type


def _looks_like(shape: str, data: bytes) -> bool:
    if shape in _MAGIC:
        return data.startswith(_MAGIC[shape])
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = set(package.namelist())
    except zipfile.BadZipFile:
        return False
    return "[Content_Types].xml" in names and _OOXML[shape] in names


def path_of(instance: Path, sha256: str) -> Path:
    """Where a file with this content hash is kept (not found for anything but a hash)."""
    if not _SHA.fullmatch(sha256):
        raise NotFound("not found")
    return instance / "evidence" / sha256[:2] / sha256


def keep(instance: Path, data: bytes) -> tuple[str, bool]:
    """Keep the bytes by their hash; (the hash, whether this wrote a new file)."""
    sha256 = hashlib.sha256(data).hexdigest()
    path = path_of(instance, sha256)
    if path.exists():
        return sha256, False
    write_new(path, data)
    return sha256, True


def forget(instance: Path, sha256: str) -> None:
    """Remove a file just kept for a change that was then refused."""
    path_of(instance, sha256).unlink(missing_ok=True)


def attachments(task: dict[str, Any]) -> list[Attachment]:
    """The files attached to a task, oldest first."""
    return [Attachment.of(line) for line in task.get("files") or []]


def find(task: dict[str, Any], sha256: str) -> Attachment:
    """One of the task's files (not found when the task has no such file)."""
    for attachment in attachments(task):
        if attachment.sha256 == sha256:
            return attachment
    raise NotFound("not found")
