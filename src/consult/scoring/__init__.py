"""The rules: pure functions from an Assessment to an explained Recommendation."""

from consult.scoring.engine import evaluate, suggest
from consult.scoring.rules import CURRENT_RULES, RULES, RulesDefinition

__all__ = ["CURRENT_RULES", "RULES", "RulesDefinition", "evaluate", "suggest"]
