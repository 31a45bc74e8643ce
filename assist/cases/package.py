"""A case package on disk and its proof of integrity.

    <case>-<time>[-unmasked]/
      case.html  case.pdf  case.json  exhibits/E01.json …  manifest.json

Each exhibit file is its item's content in canonical JSON, so its SHA-256 is the hash logged when the item was
gathered. manifest.json lists every other file with its SHA-256 and size, and ``package_sha256``, the hash of that
list; the case log records the package hash when it is exported. Changing any file, adding one or rewriting the
manifest is found by ``verify_package`` (and, against the case log, by CaseService.verify)."""

from __future__ import annotations

import json
import secrets
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assist.cases.report import case_html
from assist.cases.types import Actor, CaseFile, canonical, sha256
from assist.core.files import atomic_write_text
from assist.errors import CaseError
from assist.ports import PdfRenderer

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class ExportResult:
    path: Path
    package_sha256: str
    exhibit_hashes: dict[str, str]
    pdf: bool
    files: list[str]


@dataclass
class VerifyReport:
    path: str
    case_id: str = ""
    package_sha256: str = ""
    files: int = 0
    problems: list[str] = field(default_factory=list)
    checked_log: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "case_id": self.case_id, "package_sha256": self.package_sha256, "files": self.files,
                "ok": self.ok, "problems": list(self.problems), "checked_log": self.checked_log}


def _write(path: Path, data: bytes) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return sha256(data)


def package_hash(manifest: dict[str, Any]) -> str:
    """The hash of what the manifest vouches for (everything in it but the hash itself)."""
    return sha256(canonical({k: v for k, v in manifest.items() if k != "package_sha256"}))


def write_package(cf: CaseFile, out_dir: Path, actor: Actor, made_at: str,
                  renderer: PdfRenderer | None) -> ExportResult:
    """Write the package; the PDF is printed from the HTML by ``renderer`` (without one the package has no PDF and
    says so in its manifest)."""
    stamp = made_at.replace(":", "").replace("-", "")[:15]
    folder = Path(out_dir) / f"{cf.case.case_id}-{stamp}-{secrets.token_hex(2)}{'' if cf.masked else '-unmasked'}"
    if folder.exists():
        raise CaseError(f"{folder} exists already; export into another folder", path=folder)
    folder.mkdir(parents=True)
    try:
        exhibit_hashes = {ex: _write(folder / "exhibits" / f"{ex}.json", canonical(it.content))
                          for ex, it in cf.exhibits}
        (folder / "case.json").write_text(json.dumps(cf.to_dict(), ensure_ascii=False, indent=1), encoding="utf-8")
        html_path = folder / "case.html"
        html_path.write_text(case_html(cf, actor, made_at, exhibit_hashes), encoding="utf-8")
        pdf = False
        if renderer is not None:
            renderer.render(html_path, folder / "case.pdf")
            pdf = True
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)      # no half-written package is left to be mistaken for one
        raise
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    manifest: dict[str, Any] = {
        "case_id": cf.case.case_id, "made_at": made_at, "made_by": actor.name, "role": actor.role,
        "masked": cf.masked, "pdf": pdf,
        "files": [{"path": f, "sha256": sha256((folder / f).read_bytes()), "bytes": (folder / f).stat().st_size}
                  for f in files],
        "exhibits": [{"exhibit": ex, "item_id": it.item_id, "kind": it.kind, "sha256": exhibit_hashes[ex],
                      "source_sha256": it.source_sha256} for ex, it in cf.exhibits],
    }
    manifest["package_sha256"] = package_hash(manifest)
    atomic_write_text(folder / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
    return ExportResult(folder, manifest["package_sha256"], exhibit_hashes, pdf, files)


def verify_package(folder: Path) -> VerifyReport:
    """Every file against the manifest, no file beyond it, the manifest against its own hash, each exhibit's hash as
    case.json states it."""
    folder = Path(folder)
    report = VerifyReport(str(folder))
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        report.problems.append(f"manifest.json cannot be read: {exc}")
        return report
    report.case_id = str(manifest.get("case_id", ""))
    report.package_sha256 = str(manifest.get("package_sha256", ""))
    if package_hash(manifest) != report.package_sha256:
        report.problems.append("manifest.json was changed (its package hash does not match its content)")
    listed = {f["path"]: f["sha256"] for f in manifest.get("files", [])}
    report.files = len(listed)
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} - {MANIFEST}
    for path in sorted(present - set(listed)):
        report.problems.append(f"{path}: not in the manifest (added afterwards)")
    for path, digest in sorted(listed.items()):
        f = folder / path
        if not f.is_file():
            report.problems.append(f"{path}: missing")
        elif sha256(f.read_bytes()) != digest:
            report.problems.append(f"{path}: changed (SHA-256 differs from the manifest)")
    by_exhibit = {e["exhibit"]: e["sha256"] for e in manifest.get("exhibits", [])}
    for ex, digest in by_exhibit.items():
        if listed.get(f"exhibits/{ex}.json") != digest:
            report.problems.append(f"exhibit {ex}: its hash in the manifest does not match its file's entry")
    try:
        stated = json.loads((folder / "case.json").read_text(encoding="utf-8"))
        for e in stated.get("exhibits", []):
            if by_exhibit.get(e["exhibit"]) != e["content_sha256"]:
                report.problems.append(f"exhibit {e['exhibit']}: case.json gives another hash")
    except (OSError, ValueError, KeyError) as exc:
        report.problems.append(f"case.json cannot be read: {exc}")
    return report


def zip_package(folder: Path) -> bytes:
    """The package folder as one ZIP (what the API and the 案件 tab hand out), files under the folder's name."""
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for p in sorted(Path(folder).rglob("*")):
            if p.is_file():
                z.write(p, f"{folder.name}/{p.relative_to(folder).as_posix()}")
    return buf.getvalue()


def unzip_package(data: bytes, dest: Path, max_bytes: int) -> Path:
    """A package ZIP unpacked under ``dest`` (paths kept inside it, at most ``max_bytes`` unpacked); returns the
    folder that holds manifest.json."""
    import io
    import zipfile

    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        infos = z.infolist()
    except zipfile.BadZipFile as exc:
        raise CaseError(f"not a package ZIP: {exc}", field="package") from exc
    if sum(i.file_size for i in infos) > max_bytes:
        raise CaseError("package unpacks to more than the upload limit", field="package")
    root = dest.resolve()
    for info in infos:
        target = (root / info.filename).resolve()
        if not target.is_relative_to(root):
            raise CaseError(f"unsafe path in the package: {info.filename[:80]!r}", field="package")
        if not info.is_dir():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(z.read(info))
    found = sorted(root.rglob(MANIFEST))
    if not found:
        raise CaseError("no manifest.json in the package", field="package")
    return found[0].parent
