"""The rules versions consult ships with, and the one that scores where no database says otherwise.

The rules are data: ``ps-2025.1.toml`` beside this module, read by the same parser as a region's
rules file (``rules_file``), its reasons' words in the catalogs (``i18n/<lang>/reasons.json``).
A region tunes the rules with a TOML file that the database keeps in force. Stored cases keep
the version that scored them, so nothing is re-scored silently.
"""

from __future__ import annotations

from collections.abc import Mapping

from consult.scoring.rules_file import BASE_VERSION, RulesDefinition, built_in_rules

BUILT_IN: Mapping[str, RulesDefinition] = built_in_rules()
RULES = BUILT_IN
PS_2025_1 = BUILT_IN[BASE_VERSION]
# The default where no database says otherwise (a bare ``evaluate`` call, training).
CURRENT_RULES = PS_2025_1

__all__ = ["BUILT_IN", "CURRENT_RULES", "PS_2025_1", "RULES", "RulesDefinition"]
