"""Large bundles of fictional, anonymous cases for the benchmarks, written case by case so that
the benchmark itself stays small however many cases it makes."""

from __future__ import annotations

import json
import random
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path


def _pool(rng: random.Random, size: int = 400) -> list[tuple[dict, dict, dict]]:
    """Scores, context and the real rules' recommendation for ``size`` random assessments."""
    from consult.core.instrument import DOMAIN_KEYS
    from consult.core.model import AREAS, WORKER_ORGS, Assessment, Scores
    from consult.scoring import evaluate

    pool = []
    for _ in range(size):
        scores = Scores(**{k: rng.choice([None, 1, 1, 2, 2, 3, 3, 4, 5]) for k in DOMAIN_KEYS})
        context = {
            "area": rng.choice([*AREAS, None]),
            "worker_org": rng.choice(WORKER_ORGS),
            "jobseeker": True,
        }
        recommendation = evaluate(Assessment(scores=scores, context=context))
        pool.append((scores.model_dump(), context, recommendation.model_dump(mode="json")))
    return pool


# The app's code alphabet without its digits: a number-like code ("B0000123") reads as a phone
# number to the privacy guard, which refuses the whole bundle.
_LETTERS = "ACDEFGHJKMNPQRTUVWXY"


def _code(i: int) -> str:
    """A distinct code in the app's XXX-XXX shape for each of the first 64 million cases."""
    chars = ""
    for _ in range(6):
        i, r = divmod(i, len(_LETTERS))
        chars = _LETTERS[r] + chars
    return f"{chars[:3]}-{chars[3:]}"


def _id(rng: random.Random) -> str:
    """A random id that the privacy guard would not take for an identifier: about one random
    UUID in a million ends in twelve digits that dial as a mobile number, and the import
    refuses the whole bundle for it (the 1,000,000-case bundle had one)."""
    from consult.privacy.case_ids import identity_codes_in_identifier, phones_in_identifier

    while True:
        drawn = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        if not phones_in_identifier(drawn) and not identity_codes_in_identifier(drawn):
            return drawn


def write_bundle(path: Path, n: int, seed: int = 11) -> Path:
    rng = random.Random(seed)
    pool = _pool(rng)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    with path.open("w", encoding="utf-8") as out:
        out.write('{"format": "consult-cases", "version": 1, "cases": [\n')
        for i in range(n):
            scores, context, recommendation = rng.choice(pool)
            created = start + timedelta(minutes=2 * i + rng.randrange(2))
            status = rng.choice(["awaiting_team", "referred_directly", "team_decided"])
            decision = None
            if status == "team_decided":
                decision = {
                    "path": recommendation["primary"] if rng.random() < 0.8 else "tym",
                    "note": "",
                    "decided_at": (created + timedelta(days=rng.randrange(1, 20))).date().isoformat(),
                }
            case = {
                "id": _id(rng),
                "code": _code(i),
                "created_at": created.isoformat(),
                "status": status,
                "context": context,
                "scores": scores,
                "answers": {},
                "notes": {"general": "Tilanne kartoitettu, jatko tiimissä."} if i % 10 == 0 else {},
                "recommendation": recommendation,
                "team_decision": decision,
            }
            out.write((",\n" if i else "") + json.dumps(case, ensure_ascii=False))
        out.write("\n]}\n")
    return path
