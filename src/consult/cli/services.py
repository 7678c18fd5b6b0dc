"""The ``services`` verb: show the service catalogue in force, check a catalogue file, activate
one (product.md, "Services")."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from consult.cli.database import database_exists, opened
from consult.cli.errors import InputError
from consult.cli.inputs import read_text, shown_path
from consult.cli.output import committed, say, write
from consult.i18n import Translator
from consult.system.settings import Settings

if TYPE_CHECKING:
    from consult.catalogue.model import Catalogue, Service

# A catalogue of a region's services is tens of kilobytes; a larger file is not read whole.
CATALOGUE_FILE_LIMIT = 1 << 21


def add_services(verbs: Any, t: Translator) -> None:
    """``consult services show|check|activate``: its options, beside the other verbs'."""
    services = verbs.add_parser("services", help=t("catalogue.cli.help"))
    actions = services.add_subparsers(dest="action", metavar="ACTION", required=True)
    show = actions.add_parser("show", help=t("catalogue.cli.show"))
    show.add_argument("--area", metavar="AREA", help=t("catalogue.cli.area"))
    show.add_argument("--domain", metavar="DOMAIN", help=t("catalogue.cli.domain"))
    show.add_argument("--all", action="store_true", help=t("catalogue.cli.all"))
    show.add_argument("--json", action="store_true", help=t("cli.json"))
    show.add_argument("--format", choices=["text", "toml"], default="text", help=t("catalogue.cli.format"))
    check = actions.add_parser("check", help=t("catalogue.cli.check"))
    check.add_argument("file", metavar="FILE|-", help=t("catalogue.cli.file"))
    activate = actions.add_parser("activate", help=t("catalogue.cli.activate"))
    activate.add_argument("file", metavar="FILE|-", help=t("catalogue.cli.file"))
    activate.add_argument("--confirm", action="store_true", help=t("catalogue.cli.confirm"))


def run_services(settings: Settings, t: Translator, args: argparse.Namespace) -> None:
    _ACTIONS[args.action](settings, t, args)


def catalogue_in_force(settings: Settings, t: Translator) -> Catalogue:
    """The catalogue in force: the starter where there is no database yet."""
    from consult.catalogue.file import CatalogueError, starter_catalogue

    if not database_exists(settings):
        return starter_catalogue()
    with opened(settings) as store:
        try:
            return store.catalogue_in_force()
        except CatalogueError:  # activated by a newer consult with keys this one does not know
            raise InputError(t("catalogue.error.in_force")) from None


def catalogue_file(source: str, t: Translator) -> tuple[Catalogue, list[str]]:
    """The catalogue a TOML file describes and its warnings, or one line naming the file, the
    service and the key."""
    from consult.catalogue.file import CatalogueError, parse_catalogue

    text = read_text(source, t, limit=CATALOGUE_FILE_LIMIT)
    try:
        return parse_catalogue(text, t)
    except CatalogueError as error:
        raise InputError(f"{shown_path(source, t)}: {error}") from None


def _choice(
    value: str | None, allowed: tuple[str, ...], meanings: list[str], code: str, t: Translator
) -> str | None:
    """``value`` when it is one of ``allowed``; otherwise one line listing each with its meaning."""
    if value is None or value in allowed:
        return value
    from consult.privacy.gate import shown

    listed = "; ".join(f"{key} ({meaning})" for key, meaning in zip(allowed, meanings, strict=True))
    raise InputError(t(f"catalogue.error.{code}", value=shown(value) or "…", allowed=listed))


def shown_services(
    catalogue: Catalogue, area: str | None, domain: str | None, everything: bool
) -> list[Service]:
    """``show``'s selection: active only unless ``everything``; ``area`` keeps the services
    whose areas hold it or "all", ``domain`` those whose domains hold it; in file order."""
    from consult.catalogue.model import ALL_AREAS

    return [
        s
        for s in catalogue.services
        if (everything or s.active)
        and (area is None or area in s.areas or ALL_AREAS in s.areas)
        and (domain is None or domain in s.domains)
    ]


def service_json(service: Service) -> dict[str, Any]:
    """A service as ``consult services show --json`` prints it: the file's keys and shape."""
    contact: dict[str, Any] = {"role": dict(service.contact_role) or None, "channel": service.channel}
    return {
        "id": service.id,
        "name": dict(service.name),
        "organisation": service.organisation,
        "areas": list(service.areas),
        "domains": list(service.domains),
        "status": service.status,
        "checked_on": service.checked_on.isoformat(),
        "for_whom": dict(service.for_whom) or None,
        "how_to_reach": dict(service.how_to_reach) or None,
        "contact": contact,
        "national_id": service.national_id,
        "consultation": service.consultation,
    }


def _show(settings: Settings, t: Translator, args: argparse.Namespace) -> None:
    from consult.core.instrument import DOMAIN_KEYS, load_instrument, localized
    from consult.core.vocabulary import AREAS

    area = _choice(args.area, AREAS, [t(f"area.{a}") for a in AREAS], "unknown_area_option", t)
    titles = [localized(load_instrument().domain(d).title, t.lang) for d in DOMAIN_KEYS]
    domain = _choice(args.domain, DOMAIN_KEYS, titles, "unknown_domain_option", t)
    catalogue = catalogue_in_force(settings, t)
    if args.format == "toml":
        write(catalogue.text if catalogue.text.endswith("\n") else catalogue.text + "\n")
        return
    chosen = shown_services(catalogue, area, domain, args.all)
    if args.json:
        payload = {"version": catalogue.version, "services": [service_json(s) for s in chosen]}
        say(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    say(t("catalogue.in_force", version=catalogue.version))
    say(_last_activation(settings, t))
    if not chosen:
        say(t("catalogue.none"))
    for service in chosen:
        say("")
        say("\n".join(service_lines(service, t)))


def service_lines(service: Service, t: Translator) -> list[str]:
    """A service in a few lines a caseworker reads: name, organisation and status, areas and
    domains, whom to contact and where, when it was checked."""
    from consult.core.instrument import load_instrument, localized

    instrument = load_instrument()
    areas = ", ".join(t("catalogue.area_all") if a == "all" else t(f"area.{a}") for a in service.areas)
    domains = ", ".join(localized(instrument.domain(d).title, t.lang) for d in service.domains)
    head = f"{service.id}: {service.name_in(t.lang)} ({t(f'catalogue.organisation.{service.organisation}')}"
    if not service.active:
        head += f"; {t(f'catalogue.status.{service.status}')}"
    if service.consultation:
        head += f"; {t('catalogue.line.consultation')}"
    lines = [head + ")", "  " + t("catalogue.line.areas", areas=areas)]
    lines.append("  " + t("catalogue.line.domains", domains=domains))
    role = service.role_in(t.lang)
    contact = ", ".join(part for part in (role, service.channel) if part)
    if contact:
        lines.append("  " + t("catalogue.line.contact", role=contact))
    lines.append("  " + t("catalogue.line.checked_on", day=t.day(service.checked_on)))
    return lines


def _last_activation(settings: Settings, t: Translator) -> str:
    """Who activated the catalogue in force and when, or that it is the starter."""
    history = []
    if database_exists(settings):
        with opened(settings) as store:
            history = store.catalogue_activations()
    if not history:
        return t("catalogue.built_in")
    from consult.core.dates import team_day

    last = history[0]
    return t("catalogue.activated_on", day=t.day(team_day(last.activated_at)), who=last.activated_by)


def _warn(lines: list[str], source: str, t: Translator) -> None:
    import sys

    for line in lines:
        print(f"consult: {shown_path(source, t)}: {line}", file=sys.stderr)


def _check(settings: Settings, t: Translator, args: argparse.Namespace) -> None:
    catalogue, warnings = catalogue_file(args.file, t)
    _warn(warnings, args.file, t)
    say(
        t(
            "catalogue.checked",
            path=shown_path(args.file, t),
            version=catalogue.version,
            count=len(catalogue.services),
        )
    )


def _activate(settings: Settings, t: Translator, args: argparse.Namespace) -> None:
    from consult.cli.admin import require
    from consult.store.services import CatalogueVersionTaken

    catalogue, warnings = catalogue_file(args.file, t)
    if warnings:
        # As with a note: what may be a person's name is put in force only once confirmed.
        _warn(warnings, args.file, t)
        if not args.confirm:
            raise InputError(
                f"{shown_path(args.file, t)}: {t('catalogue.error.unconfirmed', count=len(warnings))}"
            )
    with opened(settings) as store:
        require(store, "activate_catalogue", t)
        try:
            store.activate_catalogue(catalogue.text)
        except CatalogueVersionTaken as error:
            raise InputError(
                f"{shown_path(args.file, t)}: version: "
                f"{t('catalogue.error.version_taken', version=error.version)}"
            ) from None
        who = store.catalogue_activations()[0].activated_by
    committed(t("catalogue.activated", version=catalogue.version, who=who), t)


_ACTIONS: dict[str, Callable[[Settings, Translator, argparse.Namespace], None]] = {
    "show": _show,
    "check": _check,
    "activate": _activate,
}
