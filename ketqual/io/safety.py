"""Guards shared by the readers: file size, zip bombs and hostile XML.

Every reader funnels user-chosen files through here before any third-party
parser sees them.  python-docx and openpyxl parse XML with lxml, which we
cannot configure, so zip-based formats are checked with :func:`check_zip`
first: it inflates every member itself (never trusting the sizes the archive
claims), stops at a byte budget, and refuses XML that declares a DTD.  XML we
parse ourselves goes through :func:`parse_xml`, which uses defusedxml.

All refusals are :class:`~ketqual.core.model.ImportRefused` with a one-line,
plain-English reason.
"""

from __future__ import annotations

import os
import re
import stat
import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden
from defusedxml import ElementTree as SafeElementTree

from ketqual.core.model import ImportRefused

MIB = 1024 * 1024
MAX_FILE_BYTES = 50 * MIB
"""Largest file any reader will open."""

MAX_UNCOMPRESSED_BYTES = 200 * MIB
"""Largest total size the members of a zip-based document may inflate to."""

MAX_ZIP_MEMBERS = 10_000
"""A real .docx/.xlsx/.odt has tens or hundreds of parts, not tens of thousands."""

MAX_ZIP_RATIO = 100
"""Largest plausible inflate ratio of a member; zip bombs reach 1000 and more."""

# Small members may compress extremely well (e.g. a run of identical XML
# elements), so the ratio rule only applies once a member is this large.
_RATIO_GRACE_BYTES = 1 * MIB

_CHUNK = 64 * 1024
_LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature, ..., name length, extra length
_LOCAL_HEADER_SIGNATURE = b"PK\x03\x04"
# End of central directory record: signature, 4 counters, directory size, offset, comment length.
_END_RECORD = struct.Struct("<4s8xLLH")
_END_RECORD_SIGNATURE = b"PK\x05\x06"
_ZIP64_LOCATOR = struct.Struct("<4sLQL")  # signature, disk, record offset, disks
_ZIP64_LOCATOR_SIGNATURE = b"PK\x06\x07"
_ZIP64_END_RECORD = struct.Struct("<4s36xQQ")  # signature, ..., directory size, offset
_ZIP64_END_SIGNATURE = b"PK\x06\x06"
# A directory entry is 46 bytes plus its name and extra fields; 300 bytes is a
# generous average, so max_members entries may take max_members * 300 bytes.
_MAX_DIRECTORY_ENTRY_BYTES = 300

# Signatures of files users are likely to pick by mistake.  Only signatures
# long enough not to occur at the start of ordinary text are listed.
_MAGIC: tuple[tuple[int, bytes, str], ...] = (
    (0, b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (0, b"\xff\xd8\xff", "a JPEG image"),
    (0, b"GIF87a", "a GIF image"),
    (0, b"GIF89a", "a GIF image"),
    (0, b"II*\x00", "a TIFF image"),
    (0, b"MM\x00*", "a TIFF image"),
    (0, b"%PDF-", "a PDF document"),
    (0, b"{\\rtf", "an RTF document"),
    (0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old-format or password-protected Office file"),
    (0, b"PK\x03\x04", "a ZIP archive"),
    (0, b"Rar!\x1a\x07", "a RAR archive"),
    (0, b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (0, b"\x1f\x8b", "a gzip archive"),
    (0, b"\x7fELF", "a program"),
    (4, b"ftyp", "an audio or video file"),
    (8, b"WEBP", "a WebP image"),
)

# DTDs are the vehicle for entity expansion ("billion laughs") and external
# entities.  Office XML never needs them.  Members may be UTF-8, UTF-16 or
# UTF-32 encoded, so each marker is searched for in every encoding.
_DTD_MARKERS: tuple[tuple[bytes, str], ...] = tuple(
    (marker.encode(codec), reason)
    for marker, reason in (
        ("<!ENTITY", "entity declarations"),
        ("<!DOCTYPE", "a document type declaration"),
    )
    for codec in ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
)
_MARKER_OVERLAP = max(len(marker) for marker, _ in _DTD_MARKERS) - 1

# Only these encodings may be declared in an XML member: an exotic one such as
# UTF-7 could hide a DTD from the byte search above.
_SAFE_XML_ENCODINGS = frozenset(
    {"utf-8", "utf8", "utf-16", "utf-16le", "utf-16be", "utf-32", "us-ascii", "ascii"}
    | {"iso-8859-1", "latin1", "latin-1", "iso-8859-15", "windows-1252", "cp1252"}
)
_XML_ENCODING_DECL = re.compile(r"""<\?xml[^>]*?encoding\s*=\s*["']([^"']+)["']""")

# SVG pictures are the one kind of XML image a document may embed; some SVG
# exporters write DTDs, the Office libraries never parse them, so they are not
# scanned (a DTD there would otherwise make a harmless document unreadable).
_UNSCANNED_SUFFIXES = (".svg", ".svgz")


def describe_size(size: int) -> str:
    """Format a byte count in megabytes the way reasons show it, e.g. ``"200.0 MB"``."""
    return f"{size / MIB:.1f} MB"


def _limit_text(limit: int) -> str:
    return f"{limit / MIB:g} MB"


def refuse_os_error(exc: OSError) -> ImportRefused:
    """Translate an operating-system error into a plain-English refusal.

    Args:
        exc: The error raised while opening, inspecting or reading a file.

    Returns:
        An :class:`ImportRefused` ready to be raised.
    """
    if isinstance(exc, FileNotFoundError | NotADirectoryError):
        return ImportRefused("the file was not found (moved or deleted?)")
    if isinstance(exc, IsADirectoryError):
        return ImportRefused("this is a folder, not a file")
    if isinstance(exc, PermissionError):
        return ImportRefused("KetQual is not allowed to read this file (permission denied)")
    detail = exc.strerror or type(exc).__name__
    return ImportRefused(f"the file could not be read ({detail})")


def check_file(path: Path, max_bytes: int = MAX_FILE_BYTES) -> int:
    """Check that ``path`` is an existing regular file no larger than ``max_bytes``.

    Nothing is read; only the file's metadata is inspected.

    Args:
        path: The file chosen by the user.
        max_bytes: Largest accepted size in bytes.

    Returns:
        The file's size in bytes.

    Raises:
        ImportRefused: The file is missing, a folder, a device or pipe, or too large.
    """
    try:
        info = os.stat(path)
    except OSError as exc:
        raise refuse_os_error(exc) from None
    if stat.S_ISDIR(info.st_mode):
        raise ImportRefused("this is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        # Devices and pipes could block or never end; there is no document in them.
        raise ImportRefused("this is not a regular file (it may be a device or a pipe)")
    if info.st_size > max_bytes:
        raise _too_large(info.st_size, max_bytes)
    return info.st_size


def _too_large(size: int, max_bytes: int) -> ImportRefused:
    return ImportRefused(
        f"file is too large ({describe_size(size)}; the limit is {_limit_text(max_bytes)})"
    )


def read_bytes_capped(path: Path, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """Read a whole file, but never more than ``max_bytes`` (+1 to detect overflow).

    The size was normally checked already; reading with a cap as well protects
    against a file that grows between the check and the read.

    Args:
        path: The file to read.
        max_bytes: Largest accepted size in bytes.

    Returns:
        The file's content.

    Raises:
        ImportRefused: The file cannot be read or is larger than ``max_bytes``.
    """
    try:
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
            if len(data) > max_bytes:
                raise _too_large(os.fstat(handle.fileno()).st_size, max_bytes)
    except OSError as exc:
        raise refuse_os_error(exc) from None
    return data


def read_head(path: Path, size: int = 16) -> bytes:
    """Return the first ``size`` bytes of a file (fewer if it is shorter).

    Raises:
        ImportRefused: The file cannot be read.
    """
    try:
        with open(path, "rb") as handle:
            return handle.read(size)
    except OSError as exc:
        raise refuse_os_error(exc) from None


def describe_content(head: bytes) -> str | None:
    """Name the kind of file whose first bytes are ``head``, if it is a well-known one.

    Args:
        head: At least the first 12 bytes of the file.

    Returns:
        A phrase such as ``"a PNG image"``, or ``None`` when the bytes are not recognised.
    """
    for offset, magic, description in _MAGIC:
        if head[offset : offset + len(magic)] == magic:
            return description
    return None


def wrong_content(head: bytes, expected: str) -> ImportRefused | None:
    """Build the refusal for a file whose bytes show it is something other than expected.

    Args:
        head: The first bytes of the file.
        expected: What the extension promised, e.g. ``"a .docx document"``.

    Returns:
        A refusal such as "this file is a PNG image, not a .docx document", or
        ``None`` when the content is not recognised.
    """
    what = describe_content(head)
    if what is None:
        return None
    return ImportRefused(f"this file is {what}, not {expected}")


def describe_zip_members(names: list[str]) -> str | None:
    """Name the kind of document a zip archive holds, judging by its member names.

    Args:
        names: Member names as returned by :func:`check_zip`.

    Returns:
        A phrase such as ``"an Excel workbook (.xlsx)"``, or ``None``.
    """
    present = set(names)
    for member, description in (
        ("word/document.xml", "a Word document (.docx)"),
        ("xl/workbook.xml", "an Excel workbook (.xlsx)"),
        ("ppt/presentation.xml", "a PowerPoint presentation (.pptx)"),
        ("mimetype", "an OpenDocument file (.odt, .ods or .odp)"),
        ("content.xml", "an OpenDocument file (.odt, .ods or .odp)"),
    ):
        if member in present:
            return description
    return None


def check_zip(
    source: Path | BinaryIO,
    *,
    kind: str | None = None,
    max_members: int = MAX_ZIP_MEMBERS,
    max_total_uncompressed: int = MAX_UNCOMPRESSED_BYTES,
    max_ratio: int = MAX_ZIP_RATIO,
) -> list[str]:
    """Refuse a zip archive that is damaged, a zip bomb, or carries XML with a DTD.

    The sizes in the central directory are checked first (cheap), then every
    member is inflated here, chunk by chunk, with a running byte budget, because
    a hostile archive can claim small sizes and still inflate to gigabytes.
    While inflating, every member (except SVG pictures) is searched for
    ``<!DOCTYPE``/``<!ENTITY`` so the lxml-based libraries never see a DTD.

    Args:
        source: Path or binary file object of the archive.
        kind: How to name the file in reasons, e.g. ``".docx"`` gives "the .docx file".
        max_members: Largest accepted number of members.
        max_total_uncompressed: Largest accepted total inflated size in bytes.
        max_ratio: Largest accepted inflated/compressed ratio of a member
            (applied once a member exceeds 1 MB).

    Returns:
        The names of the archive's members, in central-directory order.

    Raises:
        ImportRefused: The archive is unreadable, too big when inflated, or unsafe.
    """
    subject = "the file" if kind is None else f"the {kind} file"
    damaged = (
        f"{subject} is damaged or is not really that kind of file (it cannot be opened as one)"
    )
    try:
        _check_directory_size(source, max_members)
        with zipfile.ZipFile(source) as archive:
            members = archive.infolist()
            _check_claimed_sizes(members, max_members, max_total_uncompressed, max_ratio)
            handle = archive.fp
            if handle is None:  # pragma: no cover - only after close()
                raise ImportRefused(damaged)
            budget = max_total_uncompressed
            for info in members:
                budget -= _inspect_member(
                    archive, handle, info, subject, budget, max_total_uncompressed, max_ratio
                )
            return [info.filename for info in members]
    except ImportRefused:
        raise
    except OSError as exc:
        if isinstance(exc, FileNotFoundError | PermissionError | IsADirectoryError):
            raise refuse_os_error(exc) from None
        raise ImportRefused(damaged) from None
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, struct.error):
        raise ImportRefused(damaged) from None
    except NotImplementedError:
        raise ImportRefused(f"{subject} uses a compression method KetQual cannot read") from None


def _too_many_parts(max_members: int) -> ImportRefused:
    return ImportRefused(
        f"the file looks like a zip bomb (it contains more than {max_members:,} parts)"
    )


def _check_directory_size(source: Path | BinaryIO, max_members: int) -> None:
    """Refuse an oversized central directory before zipfile turns it into objects.

    zipfile builds one object per directory entry, whatever count the end
    record claims; a 50 MB file can hold a million entries (hundreds of MB of
    memory and many seconds).  The directory's byte size is read from the end
    record (or its ZIP64 extension) and bounded instead.  Anything unusual is
    left for zipfile to diagnose.
    """
    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as handle:
            directory_size = _directory_size(handle)
    else:
        position = source.tell()
        try:
            directory_size = _directory_size(source)
        finally:
            source.seek(position)
    if directory_size is not None and directory_size > max_members * _MAX_DIRECTORY_ENTRY_BYTES:
        raise _too_many_parts(max_members)


def _directory_size(handle: BinaryIO) -> int | None:
    end = handle.seek(0, os.SEEK_END)
    tail_size = min(end, _END_RECORD.size + 0xFFFF)  # the record plus the longest comment
    handle.seek(end - tail_size)
    tail = handle.read(tail_size)
    at = tail.rfind(_END_RECORD_SIGNATURE)
    if at < 0 or len(tail) - at < _END_RECORD.size:
        return None
    directory_size = _END_RECORD.unpack_from(tail, at)[1]
    if directory_size != 0xFFFFFFFF:
        return directory_size
    # ZIP64: a locator just before the end record points at the real record.
    locator_at = at - _ZIP64_LOCATOR.size
    if locator_at < 0 or not tail.startswith(_ZIP64_LOCATOR_SIGNATURE, locator_at):
        return None
    record_offset = _ZIP64_LOCATOR.unpack_from(tail, locator_at)[2]
    handle.seek(record_offset)
    record = handle.read(_ZIP64_END_RECORD.size)
    if len(record) < _ZIP64_END_RECORD.size or not record.startswith(_ZIP64_END_SIGNATURE):
        return None
    return _ZIP64_END_RECORD.unpack(record)[1]


def _bomb(limit: int) -> ImportRefused:
    return ImportRefused(
        f"the file looks like a zip bomb (expands to more than {_limit_text(limit)})"
    )


def _check_claimed_sizes(
    members: list[zipfile.ZipInfo], max_members: int, max_total: int, max_ratio: int
) -> None:
    if len(members) > max_members:
        raise _too_many_parts(max_members)
    if sum(info.file_size for info in members) > max_total:
        raise _bomb(max_total)
    for info in members:
        if info.file_size > _RATIO_GRACE_BYTES and info.file_size > max_ratio * max(
            info.compress_size, 1
        ):
            raise _ratio_bomb(max_ratio)


def _inspect_member(
    archive: zipfile.ZipFile,
    handle: BinaryIO,
    info: zipfile.ZipInfo,
    subject: str,
    budget: int,
    limit: int,
    max_ratio: int,
) -> int:
    """Inflate one member within ``budget`` bytes, scanning it; return its real size."""
    if info.flag_bits & 0x1:
        raise ImportRefused(f"{subject} has encrypted parts and cannot be read")
    scanner = None if info.filename.lower().endswith(_UNSCANNED_SUFFIXES) else _DtdScanner()
    if info.compress_type in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        chunks = _raw_member_chunks(handle, info, subject)
    else:
        # bzip2/LZMA: rare in documents; zipfile's own reader stops at the
        # claimed size, so lying headers cannot make it inflate more.
        chunks = _zipfile_member_chunks(archive, info)
    total = 0
    crc = 0
    for chunk in chunks:
        total += len(chunk)
        if total > budget:
            raise _bomb(limit)
        if total > info.file_size:
            # Only a hand-crafted archive inflates to more than it records.
            raise ImportRefused(
                "the file looks like a zip bomb (a part is larger than it claims to be)"
            )
        if total > _RATIO_GRACE_BYTES and total > max_ratio * max(info.compress_size, 1):
            raise _ratio_bomb(max_ratio)
        crc = zlib.crc32(chunk, crc)
        if scanner is not None:
            scanner.feed(chunk)
    if total < info.file_size or crc != info.CRC:
        raise ImportRefused(f"{subject} is damaged (a part is incomplete or corrupt)")
    return total


def _raw_member_chunks(handle: BinaryIO, info: zipfile.ZipInfo, subject: str) -> Iterator[bytes]:
    """Yield the inflated bytes of a stored or deflated member, read straight from the archive.

    zipfile stops inflating at the size a member claims; reading the raw stream
    ourselves shows what the member really holds, so a lie is detected rather
    than silently truncated.
    """
    handle.seek(info.header_offset)
    signature, name_length, extra_length = _LOCAL_HEADER.unpack(handle.read(_LOCAL_HEADER.size))
    if signature != _LOCAL_HEADER_SIGNATURE:
        raise ImportRefused(
            f"{subject} is damaged or is not really that kind of file (it cannot be opened as one)"
        )
    handle.seek(info.header_offset + _LOCAL_HEADER.size + name_length + extra_length)
    remaining = info.compress_size
    inflater = zlib.decompressobj(-zlib.MAX_WBITS) if info.compress_type else None
    while remaining > 0:
        raw = handle.read(min(_CHUNK, remaining))
        if not raw:
            raise ImportRefused(f"{subject} is damaged (it ends too early)")
        remaining -= len(raw)
        if inflater is None:
            yield raw
            continue
        # max_length keeps every step small however well the data compresses.
        data = inflater.decompress(raw, _CHUNK)
        while data:
            yield data
            data = inflater.decompress(inflater.unconsumed_tail, _CHUNK)
        if inflater.eof:
            break
    # (Some writers store an empty member as zero compressed bytes, not an empty stream.)
    if inflater is not None and not inflater.eof and info.compress_size > 0:
        raise ImportRefused(f"{subject} is damaged (a part is incomplete or corrupt)")


def _zipfile_member_chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    with archive.open(info) as member:
        while chunk := member.read(_CHUNK):
            yield chunk


def _ratio_bomb(max_ratio: int) -> ImportRefused:
    return ImportRefused(
        f"the file looks like a zip bomb (a part expands more than {max_ratio} times)"
    )


class _DtdScanner:
    """Finds DTD markers in a member fed chunk by chunk, across chunk boundaries."""

    def __init__(self) -> None:
        self._tail = b""
        self._first = True

    def feed(self, chunk: bytes) -> None:
        if self._first:
            self._first = False
            _check_declared_encoding(chunk[:512])
        window = self._tail + chunk
        for marker, reason in _DTD_MARKERS:
            if marker in window:
                raise ImportRefused(f"the document contains unsafe XML ({reason})")
        self._tail = window[-_MARKER_OVERLAP:]


def _check_declared_encoding(head: bytes) -> None:
    for codec, boms in (
        ("utf-32", (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")),
        ("utf-16", (b"\xff\xfe", b"\xfe\xff")),
    ):
        if head.startswith(boms):
            text = head.decode(codec, errors="ignore")
            break
    else:
        if head.startswith((b"<\x00", b"\x00<")):
            text = head.decode("utf-16-le" if head[0] else "utf-16-be", errors="ignore")
        else:
            text = head.decode("latin-1")
    match = _XML_ENCODING_DECL.match(text.lstrip("\ufeff \t\r\n"))
    if match and match.group(1).strip().lower() not in _SAFE_XML_ENCODINGS:
        raise ImportRefused(
            f"the document contains unsafe XML (unusual text encoding '{match.group(1)}')"
        )


def parse_xml(data: bytes, *, what: str = "document") -> Element:
    """Parse untrusted XML with defusedxml, refusing DTDs, entities and external references.

    Args:
        data: The XML document.
        what: How to name the source in reasons, e.g. ``".odt"``.

    Returns:
        The root element (a standard-library ElementTree element).

    Raises:
        ImportRefused: The XML is unsafe or malformed.
    """
    try:
        return SafeElementTree.fromstring(data, forbid_dtd=True)
    except EntitiesForbidden:
        raise ImportRefused("the document contains unsafe XML (entity declarations)") from None
    except DTDForbidden:
        # forbid_dtd stops at the DOCTYPE; name the worse danger if it is there.
        reason = "a document type declaration"
        if any(marker in data for marker, why in _DTD_MARKERS if why == "entity declarations"):
            reason = "entity declarations"
        raise ImportRefused(f"the document contains unsafe XML ({reason})") from None
    except DefusedXmlException:
        raise ImportRefused("the document contains unsafe XML (external references)") from None
    except ParseError as exc:
        reason = str(exc).split(":")[0] or "unreadable XML"
        raise ImportRefused(f"the {what} file is damaged ({reason})") from None


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted Office files and old .doc/.xls
ZIP_MAGIC = b"PK\x03\x04"


def open_office_package(
    path: Path,
    *,
    kind: str,
    what: str,
    main_member: str,
    protected_reason: str,
    damaged_reason: str,
) -> list[str]:
    """The checks every Office Open XML file gets before a library may parse it.

    Refuses password-protected (OLE-wrapped) files, files that are something else
    renamed, damaged zips, zip bombs, and zips without the format's main part.

    Args:
        path: The file.
        kind: Its extension, e.g. ``".docx"`` (for messages).
        what: What it should be, e.g. ``"a .docx document"``.
        main_member: The part every file of this format has, e.g. ``word/document.xml``.
        protected_reason: Message for a password-protected file.
        damaged_reason: Message for a file that is not a valid zip.

    Returns:
        The zip's member names.
    """
    head = read_head(path)
    if head.startswith(OLE_MAGIC):
        raise ImportRefused(protected_reason)
    if not head.startswith(ZIP_MAGIC):
        raise wrong_content(head, what) or ImportRefused(damaged_reason)
    names = check_zip(path, kind=kind)
    if main_member not in names:
        other = describe_zip_members(names)
        if other is not None:
            raise ImportRefused(f"this file is {other}, not {what}")
    return names
