from hypothesis import strategies as st

from consult.core.instrument import DOMAIN_KEYS, QUESTION_KEYS

levels = st.one_of(st.none(), st.integers(min_value=1, max_value=5))
score_dicts = st.fixed_dictionaries({key: levels for key in DOMAIN_KEYS})
answer_dicts = st.dictionaries(st.sampled_from(QUESTION_KEYS), st.sampled_from(["yes", "no", "unsure"]))
context_dicts = st.fixed_dictionaries(
    {},
    optional={
        "jobseeker": st.one_of(st.none(), st.booleans()),
        "area": st.sampled_from(["yla-savo", "keski-savo", "kuopio", "other"]),
        "worker_org": st.sampled_from(["social", "health", "employment", "kela"]),
        "age_band": st.sampled_from(["under_25", "25_plus"]),
    },
)
