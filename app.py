"""Entry point on embedded defaults.

    python app.py                       # index the shipped knowledge if needed, then serve everything on this machine:
                                        # the staff sidebar (http://127.0.0.1:8000/assist/), the trainer console
                                        # (/trainer/), the consumer widget demo (/demo) and the JSON API (/docs)
    python app.py "停息挂账是国家规定吗"   # one question: ranked passages with citations, then exit
"""

from __future__ import annotations

import sys

from assist.edges.cli import guarded
from assist.edges.cli.knowledge import ingest, search
from assist.edges.cli.serve import serve
from assist.errors import EXIT_CODES
from assist.settings import load_settings


def main(argv: list[str]) -> int:
    def run() -> int:
        settings = load_settings()
        if not argv:
            return serve(settings)
        from assist.bootstrap import build_catalog

        if build_catalog(settings).manifest() is None:
            code = ingest(settings, [], default=True, quiet=True)
            if code not in (EXIT_CODES["ok"], EXIT_CODES["partial"]):
                return code
        return search(settings, " ".join(argv))

    return guarded(run)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
