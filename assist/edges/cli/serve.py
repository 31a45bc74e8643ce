"""`assist serve`: the web app (JSON API, staff sidebar, trainer console, consumer widget) on one port."""

from __future__ import annotations

import argparse
import logging
import sys
from typing import Any

from assist.edges.cli.knowledge import ingest
from assist.edges.cli.settings import settings_of
from assist.errors import EXIT_CODES


def register(sub: Any) -> None:
    sv = sub.add_parser("serve", help="start the web app: JSON API (/docs), staff sidebar (/assist/), trainer console "
                        "(/trainer/), consumer widget (/widget.js, /demo)")
    sv.add_argument("--host", help="default 127.0.0.1 (agent.host)")
    sv.add_argument("--port", type=int, help="default 8000 (agent.port)")
    sv.set_defaults(func=cmd_serve)


def cmd_serve(args: argparse.Namespace) -> int:
    return serve(settings_of(args), args.host, args.port)


def serve(settings: Any, host: str | None = None, port: int | None = None) -> int:
    """Index the shipped knowledge when nothing is indexed yet, then serve until interrupted."""
    import uvicorn

    from assist.bootstrap import build_catalog, create_web_app, first_admin, index_location

    catalog = build_catalog(settings)
    if catalog.manifest() is None:
        if catalog.shared:
            # several workers start together against one catalog: publishing is the ingestion job's business
            print(f"no index published in {index_location(settings)} yet: run `assist ingest` (the ingestion job); "
                  "searches answer 503 until then and pick the index up without a restart", file=sys.stderr)
        else:
            print("no index yet: indexing the shipped knowledge first (about a minute)…", file=sys.stderr)
            ingest(settings, [], default=True, quiet=True)
    # Our own log lines (masked: assist.core.pii) at INFO on stderr; libraries at WARNING.
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("assist").setLevel(logging.INFO)
    requests = logging.getLogger("assist.requests")
    requests.propagate = False                      # not on the console: into its own daily files
    if settings.auth.request_log:
        from logging.handlers import TimedRotatingFileHandler
        from pathlib import Path

        folder = Path(settings.data_dir) / "logs"
        folder.mkdir(parents=True, exist_ok=True)
        handler = TimedRotatingFileHandler(folder / "requests.log", when="midnight", utc=True,
                                           backupCount=settings.auth.audit_retention_days, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
        requests.addHandler(handler)
    host, port = host or settings.agent.host, port or settings.agent.port
    password = first_admin(settings)
    if password is not None:
        print(f"\n首次启动：已创建管理员账号 / first start: admin account created\n"
              f"  账号 name: {settings.auth.first_admin}\n  密码 password: {password}\n"
              f"  在 http://{host}:{port}/login 登录；此密码只显示这一次，登录后请为同事建账号"
              f"（assist users add NAME --role agent）。\n", file=sys.stderr)
    print(f"坐席助手: http://{host}:{port}/assist/   培训与评测: http://{host}:{port}/trainer/   "
          f"防骗小助手演示: http://{host}:{port}/demo   "
          f"API docs: http://{host}:{port}/docs", file=sys.stderr)
    # Client identity comes from agent.trusted_proxies (assist.edges.http.limits), never from uvicorn's own
    # proxy-header handling, which would believe X-Forwarded-For from any local client.
    uvicorn.run(create_web_app(settings), host=host, port=port, log_level="warning", proxy_headers=False,
                timeout_keep_alive=int(settings.agent.keep_alive_s))
    return EXIT_CODES["ok"]
