"""PDF from HTML with headless Chromium (Debian's ``chromium``, the browser the tests already drive): the page is
printed as Chrome prints it, CJK text in the system's Noto CJK fonts. Offline: the page is a local file with no
outside resource, and the browser runs with a throw-away profile, no extensions and no network access."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from assist.errors import DependencyError

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "chrome")


class ChromiumPdfRenderer:
    """The PdfRenderer port over a Chromium binary (``binary`` or the first of CANDIDATES on PATH)."""

    def __init__(self, binary: str | None = None, timeout_s: float = 90.0) -> None:
        self.binary = binary
        self.timeout_s = timeout_s

    def _binary(self) -> str:
        for name in ([self.binary] if self.binary else list(CANDIDATES)):
            found = shutil.which(name)
            if found:
                return found
        raise DependencyError("no Chromium to print the PDF with: install Debian's chromium (apt-get install "
                              "chromium) or set ASSIST_CASES__CHROMIUM", field="cases.chromium")

    def render(self, html_path: Path, pdf_path: Path) -> None:
        binary = self._binary()
        with tempfile.TemporaryDirectory(prefix="assist-pdf-") as profile:
            cmd = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-extensions", "--no-first-run",
                   "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--proxy-server=127.0.0.1:9",
                   "--no-pdf-header-footer", "--print-to-pdf-no-header", f"--print-to-pdf={pdf_path}",
                   Path(html_path).resolve().as_uri()]
            try:
                done = subprocess.run(cmd, capture_output=True, timeout=self.timeout_s, check=False)
            except (OSError, subprocess.TimeoutExpired) as exc:
                raise DependencyError(f"Chromium did not print the PDF: {exc}", field="cases.chromium") from exc
        if done.returncode != 0 or not pdf_path.is_file() or pdf_path.stat().st_size < 1000:
            tail = done.stderr.decode("utf-8", "replace")[-300:]
            raise DependencyError(f"Chromium did not print the PDF (exit {done.returncode}): {tail}",
                                  field="cases.chromium")
