"""Entry point on embedded defaults: make sure the shipped knowledge is indexed, then answer questions.

    python app.py                      # interactive: type a question, get ranked passages with citations
    python app.py "停息挂账是国家规定吗"  # one question

The staff sidebar, consumer widget and JSON API will be served from here (see the open issues); today the main job
is the knowledge index and hybrid search, the same as `assist ingest` + `assist search`.
"""

from __future__ import annotations

import sys

from assist.cli import main as cli_main
from assist.errors import AssistError
from assist.index import IndexLayout
from assist.settings import load_settings


def main(argv: list[str]) -> int:
    try:
        settings = load_settings()
    except AssistError as exc:
        print(f"error: {exc.describe()}", file=sys.stderr)
        return exc.exit_code
    if IndexLayout(settings.data_dir).read_manifest() is None:
        print(f"首次运行：正在建立知识库索引（{settings.data_dir}），约需一两分钟……", file=sys.stderr)
        code = cli_main(["ingest", "--default"])
        if code not in (0, 1):
            return code
    if argv:
        return cli_main(["search", " ".join(argv)])
    print("输入问题后回车检索（空行退出）。", file=sys.stderr)
    while True:
        try:
            question = input("问> ").strip()
        except EOFError:
            return 0
        if not question:
            return 0
        cli_main(["search", question])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
