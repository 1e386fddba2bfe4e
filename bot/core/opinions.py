"""Questions that ask the bot for an opinion or a prediction, which it never gives.

"Is the proposal a good idea?", "Do you think Ukraine will join NATO?", "Who is right?", "When
will the war end?", "How long would a ceasefire last?", "Will it end next year?", "How likely
is it that …?", "Would this plan work?", "Is Sky News biased?", "Can Putin be trusted?", "Will
Ukraine ever get Crimea back?": the article reports what people said; the bot repeats only
that. Such questions are declined with a neutral line (``bot.core.replies``) even when their
words match an entry well, and the reader is offered the nearest factual questions instead.
"Should <actor> …" needs the article's actors: they come from the knowledge file's ``names``
(``OpinionDetector.for_names``), so a new article needs no code edit. The patterns run on
folded text (``bot.core.text``) and never backtrack over more than a word or two: their cost is
linear in the text's length. "Will … next year" (a "will" with a time ahead anywhere after it)
is two searches, not one ``will .*\b(?:next …)``,
which backtracked quadratically over a long text of "will"s.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.core.text import fold

# Actors of any story: "should they …", "should the west …".
GENERIC_ACTORS = ("the west", "the us", "europe", "he", "they")


def _actor_pattern(names: Iterable[str]) -> str:
    """Return a regex alternation of actor names, longest first."""
    parts = set()
    for name in (*GENERIC_ACTORS, *names):
        folded = " ".join(fold(name).replace("'", "").split())
        if folded:
            parts.add(re.escape(folded))
    return "(?:" + "|".join(sorted(parts, key=len, reverse=True)) + ")"


def _opinion_pattern(actors: str) -> re.Pattern[str]:
    return re.compile(
        r"\b(?:"
        r"(?:(?:do|did|would) (?:you|u|ya)|dyou|dya) (?:think|believe|agree|support|reckon|prefer)"
        r"|^(?:so |but |and |ok |okay )?would (?:you|u) say\b"
        r"|what (?:do|would) (?:you|u) (?:think|say|recommend)"
        r"|(?:your|ur) (?:opinion|view|take|thoughts|stance|position)"
        r"|in your (?:opinion|view)"
        r"|(?:good|bad|smart|wise|stupid|terrible|great|fair|unfair|right|wrong) "
        r"(?:idea|deal|move|decision|plan|choice|thing to do)"
        r"|is (?:it|this|that|he|she|zelensky|putin|nato) (?:right|wrong|fair|wise|smart|justified)"
        r"|who is (?:right|wrong|to blame|the good guy|the bad guy)"
        r"|(?:good|bad|great|strong|weak|terrible|competent) (?:leader|president|negotiator)"
        r"|who(?:s| is| will|ll)? (?:gonna |going to )?(?:win|lose)\b"
        # a judgement of a source or an actor: "is Sky News biased?", "can Putin be trusted?"
        r"|(?:is|are|was|were) (?:\w+ ){1,3}?(?:biased|reliable|unreliable|trustworthy"
        r"|credible|honest)"
        r"|can (?:\w+ ){1,3}?be (?:trusted|believed|relied on)"
        rf"|^(?:so |but |and |ok |okay )?should {actors} (?!be\b)\w+"
        r"|will (?:it|this|that|the (?:deal|plan|proposal|ceasefire|offer)) "
        r"(?:actually |really |ever )?(?:work|succeed|fail|happen|last)"
        r"|^(?:so |but |and |ok |okay )?would (?:it|this|that|(?:the|this|that|such an?) "
        r"(?:deal|plan|proposal|ceasefire|offer|idea|arrangement)) "
        r"(?:actually |really |ever )?(?:work|succeed|fail|last)"
        r"|how (?:likely|probable)|(?:what are|what s) the (?:chances|odds|likelihood)"
        r"|is it (?:likely|unlikely|probable)|(?:likelihood|probability) (?:of|that)"
        r"|when will|how long (?:will|would)"
        r"|will \w+(?: \w+)? (?:actually|really|ever)"
        r")\b"
    )


# A prediction asked with a time ahead: "will it end next year?", "will they join by 2030?"
_WILL = re.compile(r"\bwill ")
_TIME_AHEAD = re.compile(
    r"\b(?:(?:the )?next (?:year|month|week|decade|few (?:years|months))|this (?:year|month)"
    r"|by \d{4}|in \d{4}|(?:in|within) (?:the )?(?:coming|next) (?:years|months|decade)"
    r"|realistically)\b"
)


def _asks_for_prediction(text: str) -> bool:
    """Tell whether a time ahead follows the first "will" (each search is linear)."""
    will = _WILL.search(text)
    return will is not None and _TIME_AHEAD.search(text, will.end()) is not None


@dataclass(frozen=True)
class OpinionDetector:
    """Recognises requests for an opinion or a prediction about one article's actors."""

    pattern: re.Pattern[str]

    @classmethod
    def for_names(cls, names: Iterable[str] = ()) -> OpinionDetector:
        """Build a detector that knows the article's people, places and organisations."""
        return cls(_opinion_pattern(_actor_pattern(names)))

    def asks_for_opinion(self, folded: str) -> bool:
        """Tell whether folded text asks for an opinion or a prediction."""
        text = folded.replace("'", "")
        return self.pattern.search(text) is not None or _asks_for_prediction(text)
