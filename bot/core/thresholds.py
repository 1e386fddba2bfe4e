"""The maintainers' knobs of the decision policy: answer, suggest and the ambiguity margin.

They are settings (``BOT_ANSWER_THRESHOLD`` and friends) passed to the policy as an argument, so
an evaluation sweep tries other values without touching the index that every reader shares.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.settings import Settings


@dataclass(frozen=True)
class Thresholds:
    """Limits of the decision policy (``bot.core.decisions``); scores are 0-100.

    ``answer``: score an answer needs. ``suggest``: score an entry needs to be offered as a
    "did you mean" button. ``margin``: how far an answer must stand above the best entry quoting
    another sentence, unless it scores ``confident``. ``max_unseen``: the largest share of a
    question's weight in words the knowledge has never seen that still allows an answer.
    ``clear_*``: a lower score still answers when the top entry stands ``clear_margin`` above
    every rival and at most ``clear_max_unseen`` of the question is in unknown words.
    ``long_*``: a question of at least ``long_words`` content words scores low against short
    phrasings however well it fits, so it is also answered at ``long_answer`` when its top
    entry stands ``long_margin`` above every rival and at most ``long_max_unseen`` of it is
    in words the knowledge never uses. ``sibling_margin``: an answer stands alone when the top
    entry scores that far above its closest *sibling* (an entry of the same sentence or in its
    ``related``); closer, the answer gives the sibling too, each with its sentence (0: never).
    ``min_agreement``: every route but ``confident`` needs at least that share of the ten
    phrasings nearest the question (F1-weighted) to belong to the top entry or its siblings,
    unless the top entry's closest phrasing has an F1 of ``close_phrasing`` with the question
    (a typo or a reordering of that phrasing needs no vote).
    ``agreed_*``: an answer also when that share for the top entry alone is at least
    ``agreed_share``, with ``agreed_answer``, ``agreed_margin`` and at most
    ``agreed_max_unseen`` unknown words (the nearest phrasings agree on one entry).
    """

    answer: float = 78.0
    suggest: float = 20.0
    margin: float = 6.0
    confident: float = 100.0
    max_unseen: float = 0.25
    clear_answer: float = 55.0
    clear_margin: float = 20.0
    clear_max_unseen: float = 0.45
    long_words: int = 8
    long_answer: float = 40.0
    long_margin: float = 12.0
    long_max_unseen: float = 0.55
    sibling_margin: float = 15.0
    min_agreement: float = 0.2
    close_phrasing: float = 0.8
    agreed_answer: float = 65.0
    agreed_margin: float = 6.0
    agreed_max_unseen: float = 0.45
    agreed_share: float = 0.4
    max_suggestions: int = 3

    def __post_init__(self) -> None:
        if not 0 <= self.suggest <= self.answer <= 100:
            raise ValueError("thresholds must satisfy 0 <= suggest <= answer <= 100")


# Each threshold and the setting (``BOT_`` + upper case) a maintainer sets it with.
SETTING_OF = {
    "answer": "answer_threshold",
    "suggest": "suggest_threshold",
    "margin": "ambiguity_margin",
    "confident": "confident_threshold",
    "max_unseen": "max_unknown_share",
    "clear_answer": "clear_answer_threshold",
    "clear_margin": "clear_margin",
    "clear_max_unseen": "clear_max_unknown_share",
    "long_words": "long_question_words",
    "long_answer": "long_answer_threshold",
    "long_margin": "long_margin",
    "long_max_unseen": "long_max_unknown_share",
    "sibling_margin": "sibling_margin",
    "min_agreement": "min_agreement",
    "close_phrasing": "close_phrasing",
    "agreed_answer": "agreed_answer_threshold",
    "agreed_margin": "agreed_margin",
    "agreed_max_unseen": "agreed_max_unknown_share",
    "agreed_share": "agreed_share",
}


def thresholds_from(settings: Settings) -> Thresholds:
    """Return the thresholds a maintainer set (``BOT_ANSWER_THRESHOLD`` and friends)."""
    return Thresholds(**{name: getattr(settings, setting) for name, setting in SETTING_OF.items()})
