"""The `assist` command line. Each room's commands live in their own module here; heavy libraries load only inside
the command that needs them, so `assist --help` stays light. AssistErrors become a message and an exit code
(assist.errors.EXIT_CODES) here and nowhere else."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from assist.edges.cli import accounts, audio, cases, consumer, evaluation, knowledge, review, risk, serve
from assist.errors import EXIT_CODES, AssistError


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="assist", description="Offline assistant for consumer-finance call centres: "
                                "cited replies and risk hints for staff, consumer anti-fraud chat, evaluation and "
                                "practice for trainers, document review.")
    p.add_argument("--config", help="TOML settings file (default: $ASSIST_CONFIG or ./assist.toml if present)")
    sub = p.add_subparsers(dest="command", required=True)
    for room in (knowledge, risk, consumer, review, cases, audio, evaluation, serve, accounts):
        room.register(sub)
    return p


def guarded(command: Callable[[], int]) -> int:
    """Run a command; an AssistError becomes its message on stderr and its exit code."""
    try:
        return int(command())
    except AssistError as exc:
        print(f"error: {exc.describe()}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted; the previous index is still in place", file=sys.stderr)
        return EXIT_CODES["interrupted"]


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return guarded(lambda: args.func(args))


if __name__ == "__main__":
    sys.exit(main())
