"""Entry point on embedded defaults.

    python app.py                       # index the shipped knowledge if needed, then serve the staff sidebar
                                        # (http://127.0.0.1:8000/assist/) and the JSON API (/docs) on this machine
    python app.py "停息挂账是国家规定吗"   # one question: ranked passages with citations, then exit
"""

from __future__ import annotations

import sys

from assist.cli import main as cli_main


def main(argv: list[str]) -> int:
    if argv:
        code = cli_main(["ingest", "--default", "-q"]) if _needs_index() else 0
        return code if code not in (0, 1) else cli_main(["search", " ".join(argv)])
    return cli_main(["serve"])


def _needs_index() -> bool:
    from assist.index import IndexLayout
    from assist.settings import load_settings

    return IndexLayout(load_settings().data_dir).read_manifest() is None


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
