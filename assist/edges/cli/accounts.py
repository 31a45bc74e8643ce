"""`assist users …` and `assist keys …`: built-in accounts and service accounts' API keys, for operators on the
server (the same as the admin API, /v1/admin). A password or key is printed once and never stored."""

from __future__ import annotations

import argparse
import getpass
import json
import secrets
import sys
from typing import Any

from assist.edges.cli.settings import settings_of
from assist.errors import EXIT_CODES


def register(sub: Any) -> None:
    us = sub.add_parser("users", help="built-in accounts: add, list, roles, passwd, disable, enable")
    u = us.add_subparsers(dest="users_command", required=True)
    add = u.add_parser("add", help="add an account (a random password is printed unless --password-stdin)")
    add.add_argument("name")
    add.add_argument("--role", action="append", required=True, choices=["agent", "trainer", "reviewer", "admin"])
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    add.set_defaults(func=_users_add)
    ls = u.add_parser("list", help="accounts and their roles")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=_users_list)
    ro = u.add_parser("roles", help="replace an account's roles")
    ro.add_argument("name")
    ro.add_argument("--role", action="append", required=True, choices=["agent", "trainer", "reviewer", "admin"])
    ro.set_defaults(func=_users_roles)
    pw = u.add_parser("passwd", help="set a new password (random, printed, unless --password-stdin)")
    pw.add_argument("name")
    pw.add_argument("--password-stdin", action="store_true")
    pw.set_defaults(func=_users_passwd)
    for verb in ("disable", "enable"):
        d = u.add_parser(verb, help=f"{verb} an account (takes effect within 30 s on every worker)")
        d.add_argument("name")
        d.set_defaults(func=_users_disable, disabled=verb == "disable")

    ks = sub.add_parser("keys", help="API keys of service accounts (the call platform): create, list, rotate, revoke")
    k = ks.add_subparsers(dest="keys_command", required=True)
    cr = k.add_parser("create", help="a new key (printed once; only its hash is stored)")
    cr.add_argument("name", help="service account, e.g. call-platform")
    cr.add_argument("--scope", action="append", required=True, choices=["calls", "review"])
    cr.set_defaults(func=_keys_create)
    kl = k.add_parser("list", help="keys (never the secrets)")
    kl.add_argument("--json", action="store_true")
    kl.set_defaults(func=_keys_list)
    rt = k.add_parser("rotate", help="a new key with the same name and scopes; the old one is revoked")
    rt.add_argument("key_id")
    rt.set_defaults(func=_keys_rotate)
    rv = k.add_parser("revoke", help="revoke a key (refused within 30 s on every worker)")
    rv.add_argument("key_id")
    rv.set_defaults(func=_keys_revoke)


def _accounts(args: argparse.Namespace) -> Any:
    from assist.bootstrap import build_accounts

    return build_accounts(settings_of(args))


def _audit(args: argparse.Namespace, action: str, target: str, **detail: Any) -> None:
    from assist.bootstrap import cli_audit

    cli_audit(settings_of(args), action, target, detail)


def _password(args: argparse.Namespace) -> tuple[str, bool]:
    if args.password_stdin:
        return (sys.stdin.readline().rstrip("\n") if not sys.stdin.isatty() else getpass.getpass("password: ")), False
    return secrets.token_urlsafe(15), True


def _users_add(args: argparse.Namespace) -> int:
    password, made = _password(args)
    _accounts(args).create_user(args.name, password, args.role)
    _audit(args, "account.create", args.name, roles=sorted(args.role))
    print(f"account {args.name} ({', '.join(sorted(set(args.role)))})" + (f"; password: {password}" if made else ""))
    return EXIT_CODES["ok"]


def _users_list(args: argparse.Namespace) -> int:
    rows = _accounts(args).users()
    if args.json:
        print(json.dumps(rows, default=str, ensure_ascii=False, indent=1))
    for r in [] if args.json else rows:
        print(f"{r['name']:<24} {','.join(r['roles']):<32} {'disabled' if r['disabled'] else 'enabled'}")
    return EXIT_CODES["ok"]


def _users_roles(args: argparse.Namespace) -> int:
    _accounts(args).set_roles(args.name, args.role)
    _audit(args, "account.roles", args.name, roles=sorted(args.role))
    return EXIT_CODES["ok"]


def _users_passwd(args: argparse.Namespace) -> int:
    password, made = _password(args)
    _accounts(args).set_password(args.name, password)
    _audit(args, "account.password", args.name)
    if made:
        print(f"new password for {args.name}: {password}")
    return EXIT_CODES["ok"]


def _users_disable(args: argparse.Namespace) -> int:
    _accounts(args).set_disabled(args.name, args.disabled)
    _audit(args, "account.disable" if args.disabled else "account.enable", args.name)
    return EXIT_CODES["ok"]


def _keys_create(args: argparse.Namespace) -> int:
    key_id, key = _accounts(args).create_key(args.name, args.scope)
    _audit(args, "key.create", key_id, name=args.name, scopes=sorted(args.scope))
    print(f"key id {key_id} for {args.name} ({', '.join(sorted(set(args.scope)))})\n{key}\n"
          "shown once: put it in the call platform's secrets (header Authorization: Bearer <key>)")
    return EXIT_CODES["ok"]


def _keys_list(args: argparse.Namespace) -> int:
    rows = _accounts(args).keys()
    if args.json:
        print(json.dumps(rows, default=str, ensure_ascii=False, indent=1))
    for r in [] if args.json else rows:
        state = f"revoked {r['revoked_at']:%Y-%m-%d}" if r["revoked_at"] else "active"
        print(f"{r['key_id']}  {r['name']:<24} {','.join(r['scopes']):<14} {state}")
    return EXIT_CODES["ok"]


def _keys_rotate(args: argparse.Namespace) -> int:
    key_id, key = _accounts(args).rotate_key(args.key_id)
    _audit(args, "key.rotate", args.key_id, new_key_id=key_id)
    print(f"key id {key_id} replaces {args.key_id} (revoked)\n{key}")
    return EXIT_CODES["ok"]


def _keys_revoke(args: argparse.Namespace) -> int:
    _accounts(args).revoke_key(args.key_id)
    _audit(args, "key.revoke", args.key_id)
    return EXIT_CODES["ok"]
