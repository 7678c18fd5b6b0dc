"""scoring.md transcribed as plainly as possible, independent of the engine, so the two can be
compared on generated inputs. It decides; it does not explain."""

from __future__ import annotations

DOMAINS = ("affairs", "services", "housing", "employment", "finances", "health", "relations")
QUESTIONS = ("q_bilateral", "q_other_first", "q_multi_support", "q_coordination", "q_joint_plan")


def oracle(scores: dict, answers: dict, context: dict) -> dict:
    lv = {d: scores.get(d) for d in DOMAINS}

    def at_least(d: str, n: int) -> bool:
        return lv[d] is not None and lv[d] >= n

    challenge = [d for d in DOMAINS if at_least(d, 3)]
    cc = len(challenge)
    assessed = sum(1 for d in DOMAINS if lv[d] is not None)
    needs = set()
    if any(at_least(d, 3) for d in ("affairs", "services", "housing", "finances", "relations")):
        needs.add("social")
    if at_least("health", 3):
        needs.add("health")
    orgs = set()
    if at_least("employment", 3):
        orgs.add("employment")
    if needs:
        orgs.add("welfare")
    if at_least("finances", 3) or at_least("affairs", 4) or at_least("health", 3):
        orgs.add("kela")
    acute = lv["housing"] == 5 or lv["relations"] == 5 or lv["health"] == 5

    suggested = {
        "q_bilateral": "yes" if cc >= 1 and len(orgs) <= 2 else "no",
        "q_other_first": "yes" if acute else "no",
        "q_multi_support": "yes" if cc >= 3 else "no",
        "q_coordination": "yes" if orgs == {"employment", "kela", "welfare"} else "no",
        "q_joint_plan": "yes" if cc >= 3 and at_least("employment", 3) else "no",
    }
    a = {q: answers.get(q) or suggested[q] for q in QUESTIONS}

    not_jobseeker = False
    if acute or a["q_other_first"] == "yes":
        primary = "social_services"
    else:
        primary = None
        if (
            a["q_coordination"] == "yes"
            and (a["q_multi_support"] == "yes" or a["q_joint_plan"] == "yes")
            and a["q_bilateral"] != "yes"
        ):
            if context.get("jobseeker") is False:
                not_jobseeker = True
            else:
                primary = "tym"
        if primary is None:
            if a["q_bilateral"] == "yes" or cc >= 1 or any(a[q] == "yes" for q in QUESTIONS[1:]):
                primary = "bilateral"
            else:
                primary = "own_service"

    flags = set()
    if lv["relations"] == 5:
        flags.add("safety")
    if lv["housing"] == 5:
        flags.add("urgent")
    if assessed < 5:
        flags.add("insufficient_data")
    given = {q: answers.get(q) for q in QUESTIONS if answers.get(q) is not None}
    if (
        any(v == "unsure" for v in given.values())
        or any(v != suggested[q] for q, v in given.items())
        or assessed < 5
        or (cc >= 3 and len(orgs) == 2)
        or (len(orgs) == 3 and cc < 3)
        or not_jobseeker
    ):
        flags.add("bring_to_team")
    return {
        "primary": primary,
        "needs": sorted(needs),
        "orgs": sorted(orgs),
        "flags": sorted(flags),
        "suggested_answers": suggested,
    }
