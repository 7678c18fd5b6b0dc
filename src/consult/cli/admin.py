"""The ``admin`` verb (setup, grant, revoke, migrate on the team's server), ``whoami`` and
``audit``; and the refusal every verb gives a role that may not do what it asked."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import TYPE_CHECKING

from consult.cli.database import opened
from consult.cli.errors import DatabaseProblem, InputError
from consult.cli.inputs import period
from consult.i18n import Translator
from consult.system.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from consult.store import Store
    from consult.store.roles import Identity


def require(store: Store, action: str, t: Translator) -> Identity:
    """The signed-in identity, when its role may do ``action``; otherwise one line naming the
    role and what it may not do (exit status 2)."""
    who = store.identity()
    if not who.may(action):
        raise InputError(refusal(who, action, t))
    return who


def refusal(who: Identity, action: str, t: Translator) -> str:
    return t(
        "admin.refused",
        login=who.login,
        role=t(f"admin.role.{who.role}"),
        action=t(f"admin.action.{action}"),
    )


def whoami(settings: Settings, t: Translator, args: argparse.Namespace) -> None:
    with opened(settings) as store:
        who = store.identity()
    print(t("admin.whoami.login", login=who.login))
    print(t("admin.whoami.role", role=t(f"admin.role.{who.role}")))
    if who.areas:
        print(t("admin.whoami.areas", areas=", ".join(who.areas)))


def audit(settings: Settings, t: Translator, args: argparse.Namespace) -> None:
    first, last = period(args.since, args.until, t, "admin.error.period")
    with opened(settings) as store:
        require(store, "audit", t)
        entries = store.audit(first, last)
    if args.json:
        payload = [{**entry.model_dump(mode="json")} for entry in entries]
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    if not entries:
        print(t("admin.audit.none"))
        return
    from consult.core.dates import TEAM_TIME

    for entry in entries:
        fields = [
            entry.at.astimezone(TEAM_TIME).strftime("%Y-%m-%d %H:%M:%S"),
            entry.who or "?",
            entry.what,
            entry.case_code or entry.case_id or "-",
            entry.area or "-",
            entry.detail or "",
        ]
        print("\t".join(fields).rstrip())


def admin(settings: Settings, t: Translator, args: argparse.Namespace) -> None:
    _ACTIONS[args.action](settings, t, args)


def _server(settings: Settings, t: Translator) -> Engine:
    """The engine of the settings' server, unmigrated: the administrator's verbs migrate it
    themselves. A SQLite file has one worker, who holds every role: nothing to set up."""
    from consult.store.db import make_engine

    url = settings.resolved_database_url
    engine = make_engine(url)
    if engine.dialect.name != "postgresql":
        engine.dispose()
        raise InputError(t("admin.error.server_only"))
    return engine


def _run(engine: Engine, work: Callable[[], None]) -> None:
    from consult.store.roles import LoginRefused

    try:
        work()
    except LoginRefused as error:
        raise InputError(f"{error.what}: {error.value}") from None
    except Exception as error:
        from consult.cli.errors import is_database_error

        if is_database_error(error):
            raise DatabaseProblem(error) from None
        raise
    finally:
        engine.dispose()


def _setup(settings: Settings, t: Translator, args: argparse.Namespace) -> None:
    from consult.store.migrate import head_revision
    from consult.store.server_setup import setup

    engine = _server(settings, t)
    _run(engine, lambda: setup(engine))
    print(t("admin.set_up", revision=head_revision()))


def _grant(settings: Settings, t: Translator, args: argparse.Namespace) -> None:
    from consult.store.roles import grant

    engine = _server(settings, t)
    created: list[bool] = []
    areas = tuple(args.area or ())
    _run(engine, lambda: created.append(grant(engine, args.login, args.role, areas)))
    print(
        t(
            "admin.granted_new" if created and created[0] else "admin.granted",
            login=args.login,
            role=t(f"admin.role.{args.role}"),
            areas=", ".join(areas) or "-",
        )
    )


def _revoke(settings: Settings, t: Translator, args: argparse.Namespace) -> None:
    from consult.store.roles import revoke

    engine = _server(settings, t)
    held: list[bool] = []
    _run(engine, lambda: held.append(revoke(engine, args.login)))
    print(t("admin.revoked" if held and held[0] else "admin.revoked_none", login=args.login))


def _migrate(settings: Settings, t: Translator, args: argparse.Namespace) -> None:
    from consult.store.db import make_engine
    from consult.store.migrate import SchemaBehind, current_revision, head_revision, upgrade

    engine = make_engine(settings.resolved_database_url)
    before: list[str | None] = []

    def work() -> None:
        before.append(current_revision(engine))
        upgrade(engine)

    try:
        _run(engine, work)
    except SchemaBehind:
        raise InputError(t("admin.error.not_owner")) from None
    if before and before[0] == head_revision():
        print(t("admin.migrate_current", revision=head_revision()))
    else:
        print(t("admin.migrated", revision=head_revision()))


_ACTIONS: dict[str, Callable[[Settings, Translator, argparse.Namespace], None]] = {
    "setup": _setup,
    "grant": _grant,
    "revoke": _revoke,
    "migrate": _migrate,
}
