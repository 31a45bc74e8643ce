"""Hostile inputs, generated at run time (nothing of this size is kept in the repository), and the tools to send them:
zip and DOCX bombs, images and PDFs whose declared size is enormous, PDFs with too many pages or too many blank scans,
chunked bodies that never end, and the peak memory of a server process. Used by tests/unit (the budgets),
tests/integration/test_hostile.py (a served app) and bench/hostile.py (the long version)."""

from __future__ import annotations

import io
import select
import socket
import struct
import time
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

_DOCX_TYPES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
               '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
               '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
               '<Default Extension="xml" ContentType="application/xml"/>'
               '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
               'wordprocessingml.document.main+xml"/></Types>')
_DOCX_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
              '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
              '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
              'officeDocument" Target="word/document.xml"/></Relationships>')
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def docx_bomb(unpacked_mb: int = 300) -> bytes:
    """A DOCX whose document.xml unpacks to ``unpacked_mb`` MB of paragraphs (a few hundred KB packed): python-docx
    would build an XML tree of all of it."""
    para = '<w:p><w:r><w:t>委托人授权受托人全权处理一切事务</w:t></w:r></w:p>'.encode()
    block = para * (2**20 // len(para))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", _DOCX_TYPES)
        zf.writestr("_rels/.rels", _DOCX_RELS)
        with zf.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{_W}"><w:body>'.encode())
            for _ in range(unpacked_mb):
                part.write(block)
            part.write(b"</w:body></w:document>")
    return buf.getvalue()


def zip_of_many_entries(n: int = 20_000) -> bytes:
    """A DOCX-named archive with ``n`` tiny parts."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("[Content_Types].xml", _DOCX_TYPES)
        for i in range(n):
            zf.writestr(f"word/p{i}.xml", b"<a/>")
    return buf.getvalue()


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_bomb(width: int = 12_000, height: int = 12_000) -> bytes:
    """A valid black-and-white PNG of ``width`` x ``height`` pixels that packs to a few hundred KB: decoded and
    turned into RGB for OCR it would take width*height*3 bytes."""
    row = b"\x00" + b"\xff" * ((width + 7) // 8)
    comp = zlib.compressobj(9)
    body = b"".join(comp.compress(row) for _ in range(height)) + comp.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"IDAT", body) + _png_chunk(b"IEND", b"")


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF from numbered objects (object 1 is the catalog), with a correct cross-reference table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{i} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def pdf_with_huge_image(side: int = 20_000, inflated_mb: int = 100) -> bytes:
    """A one-page scanned PDF whose image is ``side`` x ``side`` RGB (1.2 GB decoded at 20,000), its stream
    ``inflated_mb`` MB of zeros packed into about a thousandth of that: pypdf would inflate it, PIL allocate it."""
    comp = zlib.compressobj(9)
    chunk = b"\x00" * 2**20
    data = b"".join(comp.compress(chunk) for _ in range(inflated_mb)) + comp.flush()
    image = (f"<< /Type /XObject /Subtype /Image /Width {side} /Height {side} /ColorSpace /DeviceRGB "
             f"/BitsPerComponent 8 /Filter /FlateDecode /Length {len(data)} >>\nstream\n").encode() + data + b"\nendstream"
    content = f"q {side} 0 0 {side} 0 0 cm /Im0 Do Q".encode()
    return _pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                 b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                 f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {side} {side}] /Resources << /XObject << /Im0 4 0 R >> >> "
                 f"/Contents 5 0 R >>".encode(),
                 image,
                 f"<< /Length {len(content)} >>\nstream\n".encode() + content + b"\nendstream"])


def pdf_of_pages(n: int = 5_000) -> bytes:
    """A PDF of ``n`` empty pages."""
    kids = " ".join(f"{i + 3} 0 R" for i in range(n))
    pages = [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>" for _ in range(n)]
    return _pdf([b"<< /Type /Catalog /Pages 2 0 R >>", f"<< /Type /Pages /Kids [{kids}] /Count {n} >>".encode(), *pages])


def pdf_of_blank_scans(n: int = 30, side: int = 1200) -> bytes:
    """A PDF of ``n`` scanned pages that are blank (white images, no text layer): OCR would find nothing after
    spending about a second a page."""
    from PIL import Image

    pages = [Image.new("L", (side, int(side * 1.414)), 255) for _ in range(n)]
    buf = io.BytesIO()
    pages[0].save(buf, format="PDF", save_all=True, append_images=pages[1:], resolution=150)
    return buf.getvalue()


def multipart(field: str, name: str, data: bytes, content_type: str = "application/octet-stream") -> tuple[bytes, str]:
    """A multipart/form-data body with one file, and its content type."""
    boundary = "----assist-hostile-7d2f"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{name}\"\r\n"
            f"Content-Type: {content_type}\r\n\r\n").encode()
    return head + data + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def send_endless_chunked(url: str, path: str, total_mb: int = 300, chunk_kb: int = 256, *, upload: bool = False,
                         timeout: float = 60.0) -> tuple[int | None, int]:
    """POST a chunked body of up to ``total_mb`` MB (a JSON array, or with ``upload`` one multipart file part that
    never ends), stopping as soon as the server answers or stops reading. Returns (status, or None when the server
    closed without answering; bytes sent before that)."""
    host, port = url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=timeout)
    sent = 0
    boundary = "----assist-endless"
    content_type = f"multipart/form-data; boundary={boundary}" if upload else "application/json"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"big.pdf\"\r\n"
            "Content-Type: application/pdf\r\n\r\n").encode() if upload else b""
    try:
        sock.sendall(f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: {content_type}\r\n"
                     "Transfer-Encoding: chunked\r\n\r\n".encode())
        sock.sendall(f"{len(head) + 1:x}\r\n".encode() + head + b"[" + b"\r\n")
        chunk = b"1," * (chunk_kb * 512)
        frame = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
        deadline = time.monotonic() + timeout
        sock.settimeout(5)
        while sent < total_mb * 2**20 and time.monotonic() < deadline:
            readable, _, _ = select.select([sock], [], [], 0)
            if readable:
                break
            try:
                sock.sendall(frame)
            except (BrokenPipeError, ConnectionResetError, TimeoutError):
                break               # the server stopped reading: what it answered is read below
            sent += len(chunk)
        return _status(sock), sent
    finally:
        sock.close()


def send_declared(url: str, path: str, length: int, timeout: float = 30.0) -> int | None:
    """POST headers declaring a ``length``-byte body and send none of it: a server that checks the declaration
    answers at once; one that reads first waits for the body."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as sock:
        sock.sendall(f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
                     f"Content-Length: {length}\r\n\r\n".encode())
        return _status(sock)


def _status(sock: socket.socket) -> int | None:
    sock.settimeout(10)
    try:
        head = sock.recv(4096)
    except (ConnectionResetError, TimeoutError, OSError):
        return None
    if not head.startswith(b"HTTP/1.1 "):
        return None
    return int(head.split(b" ", 2)[1])


def peak_rss_mb(pid: int) -> float:
    """The peak resident memory of a process so far (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("VmHWM not found")


def rss_mb(pid: int) -> float:
    """The current resident memory of a process (VmRSS), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("VmRSS not found")


def traversal_paths(secret: Path) -> Iterator[str]:
    """Ways a client may name a server file it was never given."""
    yield str(secret)
    yield f"/tmp/../{str(secret).lstrip('/')}"
    yield str(secret.parent / "." / secret.name)
    yield "/etc/passwd"
    yield "/proc/self/environ"
    yield str(secret.with_name("no-such-file.txt"))
