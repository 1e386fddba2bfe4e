"""Details a question asks for that the closest entry must give: time, names, number, speaker….

"When did Zelensky become president?" shares words with the entry on Crimea's annexation, "Who
interviewed him on Sky News?" with the entry on the interview, "How many tanks has Russia
lost?" with the entry on how much of Ukraine Russia holds, and "Did Peskov comment on the
interview?" with the interview again; each entry answers something else. So a question that
asks for a *time* ("when", "how long", "which year") needs an answer that gives one (a date for
"which year"); one asking for *names* ("who interviewed him", "which regions did Russia annex")
needs a multi-word name it does not already have; one asking for a *number* ("how many X",
"what percentage", "how old") needs a number — and, for "how many X", an answer that speaks of
X; one asking what a *speaker* said ("what did Peskov say") needs an entry that speaks of them;
"what else" needs an entry written for it; one about a *reaction* ("react", "respond",
"comment", "vote") needs an answer that reports one.
``AnswerFacts`` is read once per entry when the index is built; ``missing_detail`` is a few
regex searches on the question, each linear in its length. This is the one place both sides of
these rules live; ``Query.asks_when`` and ``asks_names`` read the question-side patterns here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.core.match_result import Lacks
from bot.core.text import fold
from bot.knowledge.schema import Entry

Tokens = Callable[[str], tuple[str, ...]]  # the knowledge's normaliser: text -> content tokens

_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"

# --- what a question asks for ---
_WHICH = r"\b(?:what|which)(?: (?:exact|precise|specific|particular|actual))? "
ASKS_WHEN = re.compile(
    r"^(?:so |and |but |ok |okay )?when\b|\bsince when\b|\bhow long\b"
    rf"|{_WHICH}(?:date|year|month|day)\b"
    r"|\b(?:exact|precise) (?:date|day|time)\b"
)
# "which year" / "what exact date" need a date, not only a word of time such as "soon"
_ASKS_DATE = re.compile(rf"{_WHICH}(?:date|year|month)\b|\b(?:exact|precise) date\b")
ASKS_NAMES = re.compile(
    r"\b(?:name (?:them|the|all|each|those|these)|names? of (?:the|those|these)"
    r"|(?:what|which)(?: \w+)? (?:is|was|are|were) the names?"
    r"|(?:which|what) \w+(?: \w+)? (?:exactly|specifically)"
    r"|who (?:interviewed|questioned|asked|conducted|wrote|reported)"
    r"|(?:which|what) (?:journalist|reporter|interviewer|spokesman|spokesperson|minister)"
    r"|(?:journalist|reporter|interviewer|spokesman|spokesperson) (?:that|who)"
    r"|which (?:specific |particular |exact )?(?:\w+ )?"
    r"(?:regions|oblasts|towns|cities|villages|provinces|countries))\b"
)
_ASKS_NUMBER = re.compile(
    r"\bhow (?:many|much|old|tall)\b|\bwhat (?:percentage|percent|proportion|fraction|number)\b"
    # a numbered provision ("which article of the constitution")
    r"|\b(?:which|what) (?:article|section|clause|paragraph|chapter)s? (?:of|in)\b"
)
# "how many tanks": the answer must speak of tanks ("how many percent" needs only a number)
_HOW_MANY = re.compile(r"\bhow many (?!percent\b|per\b)(\w+)")
# who spoke: "what did Peskov say", "did the Kremlin comment", "what the spokesman said"
_SPEAKER = re.compile(
    r"\bwhat (?:did|does|do|has|have|had) ((?:[\w']+ ){1,5}?)(?:say|think)\b"
    r"|\bhow (?:did|does|do|has|have|had) ((?:[\w']+ ){1,5}?)(?:react|respond|reply|comment)\b"
    r"|\bwhat ((?:[\w']+ ){1,3}?)(?:said|thinks|thought)\b"
    r"|^(?:so |and |but |ok |okay )?(?:did|has|have) ((?:[\w']+ ){1,3}?)"
    r"(?:said|say|commented|comment|reacted|react|responded|respond|replied|reply)\b"
)
# who the article is: "what did the article say" asks the article itself
_ARTICLE = frozenset(
    {"article", "piece", "story", "report", "text", "headline", "author", "writer"}
)
# words between "did" and "say" that are not the speaker ("did he ever say", "publicly")
_NOT_SPEAKER = re.compile(
    r"ever|never|also|even|already|still|just|once|too|again|really|actually|publicly|openly"
    r"|officially|recently|previously|specifically|exactly|personally|directly|finally"
)
# more than an answer gives: "apart from that, what else did the plan contain?" (unless a
# phrasing of the entry asks it: "what else did Russia annex?")
_ASKS_MORE = re.compile(r"\bwhat else\b")
_REACTION = re.compile(
    r"\b(?:react|reacted|reaction|reactions|respond|responded|response|comment|commented"
    r"|vote|voted|approve|approved|reply|replied)\b"
)

# --- what an answer gives ---
# a point or span of time: a number, a month, or a word of time
_GIVES_TIME = re.compile(
    rf"\d|\b(?:{_MONTHS}|year|years|month|months|week|weeks|day|days|ago|since|earlier"
    r"|previously|before|after|later|initially|first time|until|now|currently|recent|soon"
    r"|fast|quickly)\b"
)
_GIVES_DATE = re.compile(rf"\d|\b(?:{_MONTHS})\b")
_GIVES_NUMBER = re.compile(
    r"\d|\b(?:half|third|quarter|fifth|tenth|percent|dozen|hundreds|thousands|millions)\b"
)
# a name: two or more capitalised words in a row ("Vladimir Putin", "Sky News")
_NAME = re.compile(r"\b[A-Z][\w'’-]*(?: [A-Z][\w'’-]*)+")


@dataclass(frozen=True)
class AnswerFacts:
    """What one entry gives: a time and names (in its answer); a number, a date and words (in
    its answer and sentence)."""

    timed: bool
    names: frozenset[str]  # folded multi-word names of the answer
    numbered: bool
    dated: bool
    words: frozenset[str]  # content tokens of the answer and the sentence
    document: frozenset[str] = frozenset()  # content tokens of the whole entry, phrasings too
    more: bool = False  # a phrasing asks "what else" ("what else did Russia annex?")


def names_in(text: str) -> frozenset[str]:
    """Return the folded multi-word names of ``text`` ("Volodymyr Zelensky", "Le Monde")."""
    return frozenset(fold(name) for name in _NAME.findall(text))


def answer_facts(
    entry: Entry, tokens: Tokens, document: frozenset[str] = frozenset()
) -> AnswerFacts:
    """Read an entry's answer and sentence once; ``document`` is the entry's whole vocabulary
    as the index read it (phrasings, answer and sentence)."""
    both = fold(f"{entry.answer} {entry.sentence}")
    return AnswerFacts(
        timed=_GIVES_TIME.search(fold(entry.answer)) is not None,
        names=names_in(entry.answer),
        numbered=_GIVES_NUMBER.search(both) is not None,
        dated=_GIVES_DATE.search(both) is not None,
        words=frozenset(tokens(both)),
        document=document,
        more=any(_ASKS_MORE.search(fold(q)) for q in entry.questions),
    )


def _unknown_speaker(folded: str, tokens: Tokens, facts: AnswerFacts) -> bool:
    """Tell whether the question asks what someone said whom the entry never speaks of.

    "What did Peskov say about the interview?": the entry on the interview never mentions
    Peskov. One word of the speaker the entry knows is enough ("Mr Zelensky", "Ukrainian
    officials"), a misspelt one too.
    """
    spoke = _SPEAKER.search(folded)
    if spoke is None:
        return False
    actor = " ".join(
        word
        for word in next(g for g in spoke.groups() if g).split()
        if word not in _ARTICLE and not _NOT_SPEAKER.fullmatch(word)
    )
    said = tokens(actor)
    return bool(said) and not any(
        t in facts.document
        or process.extractOne(t, facts.document, scorer=fuzz.ratio, score_cutoff=80) is not None
        for t in said
    )


def missing_detail(folded: str, tokens: Tokens, facts: AnswerFacts) -> Lacks:
    """Return what the question (folded text) asks for that the answer lacks, or "".

    "time", "name", "number", "more", "speaker" or "reaction", in that order of precedence.
    """
    if ASKS_WHEN.search(folded) and not facts.timed:
        return "time"
    if ASKS_NAMES.search(folded) and all(name in folded for name in facts.names):
        return "name"
    if _ASKS_NUMBER.search(folded):
        counted = _HOW_MANY.search(folded)
        focus = tokens(counted.group(1)) if counted else ()
        if not facts.numbered or any(t not in facts.words for t in focus):
            return "number"
    if _ASKS_DATE.search(folded) and not facts.dated:
        return "time"
    if _ASKS_MORE.search(folded) and not facts.more:
        return "more"
    if _unknown_speaker(folded, tokens, facts):
        return "speaker"
    reaction = _REACTION.search(folded)
    if reaction and any(t not in facts.words for t in tokens(reaction.group())):
        return "reaction"
    return ""
