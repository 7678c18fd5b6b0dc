"""The domain's pure core: the instrument (domains, levels, questions), the case model, the
words of the vocabulary, days in the team's time zone, and agreement figures (kappa).

May import: the standard library, pydantic and the data files. Nothing else of consult.
"""
