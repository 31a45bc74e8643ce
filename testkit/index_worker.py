"""A search instance in its own process, for tests and benchmarks of the shared index: the retriever the services
use (assist.bootstrap.build_serving_retriever, settings from the environment), answering one JSON request per line
on stdin with one JSON line on stdout.

    {"q": "洗白征信", "k": 3, "mode": "hybrid"}  ->  {"ids": ["edu-credit-repair", ...], "ms": 1.2}
    {"stamp": true}                             ->  {"stamp": "..."}      (what the catalog names now)
    failures                                    ->  {"error": "IndexNotReadyError: ..."}

Run as ``python -m testkit.index_worker`` from the repository root."""

from __future__ import annotations

import json
import sys
import time

from assist.bootstrap import build_catalog, build_serving_retriever
from assist.errors import AssistError
from assist.settings import load_settings


def main() -> int:
    settings = load_settings()
    retriever = build_serving_retriever(settings)
    catalog = build_catalog(settings)
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        req = json.loads(line)
        try:
            if req.get("stamp"):
                out: dict[str, object] = {"stamp": repr(catalog.stamp())}
            else:
                t0 = time.perf_counter()
                hits = retriever.search(req["q"], k=req.get("k", 3), mode=req.get("mode", "hybrid"), floor=False)
                out = {"ids": [h.chunk.doc_id for h in hits], "ms": (time.perf_counter() - t0) * 1000}
        except AssistError as exc:
            out = {"error": f"{type(exc).__name__}: {exc.message}"}
        print(json.dumps(out, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
