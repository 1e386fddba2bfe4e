"""Questions that ask the bot for an opinion or a prediction, which it never gives.

"Is the proposal a good idea?", "Do you think Ukraine will join NATO?", "Who is right?", "When
will the war end?", "How long would a ceasefire last?", "Will it end next year?": the
article reports what people said; the bot repeats only that. Such questions are declined with a
neutral line (``bot.core.replies``) even when their words match an entry well, and the reader is
offered the nearest factual questions instead. The patterns run on folded text (``bot.core.text``).
"""

from __future__ import annotations

import re

_ACTORS = r"(?:ukraine|kyiv|zelensky\w*|nato|russia|moscow|putin|the west|the us|europe|he|they)"
_OPINION = re.compile(
    r"\b(?:"
    r"(?:do|did|would) (?:you|u) (?:think|believe|agree|support|reckon|prefer)"
    r"|what (?:do|would) (?:you|u) (?:think|say|recommend)"
    r"|(?:your|ur) (?:opinion|view|take|thoughts|stance|position)"
    r"|in your (?:opinion|view)"
    r"|(?:good|bad|smart|wise|stupid|terrible|great|fair|unfair|right|wrong) "
    r"(?:idea|deal|move|decision|plan|choice|thing to do)"
    r"|is (?:it|this|that|he|she|zelensky|putin|nato) (?:right|wrong|fair|wise|smart|justified)"
    r"|who is (?:right|wrong|to blame|the good guy|the bad guy)"
    rf"|^(?:so |but |and |ok |okay )?should {_ACTORS} (?!be\b)\w+"
    r"|will (?:it|this|that|the (?:deal|plan|proposal|ceasefire|offer)) "
    r"(?:actually |really |ever )?(?:work|succeed|fail|happen|last)"
    r"|when will|how long (?:will|would)"
    r"|will \w+(?: \w+)? (?:actually|really)"
    r"|will .*\b(?:next (?:year|month|week)|this (?:year|month)|by \d{4}|in \d{4})"
    r")\b"
)


def asks_for_opinion(folded: str) -> bool:
    """Tell whether folded text asks for an opinion or a prediction."""
    return _OPINION.search(folded.replace("'", "")) is not None
