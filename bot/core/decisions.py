"""The decision policy: answer a question, ask "did you mean", or decline. The file that decides.

It weighs the evidence the matcher gathered (``bot.core.evidence``) against the thresholds
(``bot.core.thresholds``, the maintainers' knobs, passed as an argument):

1. A request for an opinion or a prediction is declined, offering the closest factual entries.
2. A question that names a place or organisation the article never mentions is declined with
   that name ("The article doesn't mention Yemen.").
3. A question that shares no word with the knowledge is declined with example questions.
4. A one- or two-word question that many entries share ("nato") gets "did you mean".
5. An answer needs the time, names, number or reaction the question asks for
   (``bot.core.details``: "when …?", "who interviewed him?", "how many tanks?"), must not be
   the closest phrasing with its topic swapped for an unknown word (``bot.core.swaps``: "how
   long has the *pandemic* lasted?"), and at least ``min_agreement`` of the ten phrasings
   nearest the question (F1-weighted) must belong to the top entry or its siblings (nearest
   phrasings spread over other sentences mean the words matched, not the question) — unless
   the plain route's score is ``confident``, the question is made of small words only
   (compared whole: no F1 to vote with), or the top entry's closest phrasing has an F1 of
   ``close_phrasing`` with the question (a typo of it needs no vote). Then one of four routes:
   *plain* — the ``answer`` score, at most ``max_unseen`` of the question's weight in words
   the knowledge has never seen (a question about something else must not ride on a few shared
   words), and no rival entry (quoting another sentence, not one of its ``related``) within
   ``margin`` (unless the score is ``confident``: then nothing else is checked), or else the
   *agreed* route below; *clear winner* — ``clear_answer`` with the
   rival ``clear_margin`` below and at most ``clear_max_unseen`` unknown words (a lone
   winner may carry more paraphrase); *long question* — at least
   ``long_words`` content words (it scores low against short phrasings however well it fits),
   ``long_answer``, ``long_margin`` and at most ``long_max_unseen`` unknown words; *agreed* —
   two content words or more, ``agreed_answer`` with ``agreed_share`` of the nearest
   phrasings the top entry's own (one word's phrasings agree on whichever entry uses it most),
   ``agreed_margin`` and at most ``agreed_max_unseen`` unknown words (a chatty question whose
   nearest phrasings agree on one entry is understood though it scores lower). A *sibling*
   (an entry of the same sentence or one of its ``related``) is no rival: when the closest
   sibling scores within ``sibling_margin`` of the top, the answer gives both entries, each
   with its sentence — neighbouring sentences answer each other's questions, and a near tie
   between them is no reason to guess one or to ask.
6. Anything else that came within ``suggest`` of an entry gets "I'm not sure I understood —
   did you mean" with the closest entries as buttons; below that, a decline.
"""

from __future__ import annotations

from bot.core.candidate import Candidate
from bot.core.evidence import Evidence
from bot.core.match_result import MatchResult
from bot.core.thresholds import Thresholds

KEPT = 5  # candidates a result carries (logs, explain, examples)
# Content words the agreed route needs: one word's phrasings agree on whichever entry uses it most.
AGREED_MIN_WORDS = 2
# How ``reason`` words what the question asks for and the closest answer lacks.
MISSING_REASON = {
    "time": "asks 'when' but the answer gives no time",
    "name": "asks for names but the answer gives none the question lacks",
    "number": "asks for a number the answer does not give",
    "speaker": "asks what someone said whom the answer never mentions",
    "more": "asks for more than the answer gives ('what else')",
    "reaction": "asks about a reaction the answer does not report",
}


def _offered(evidence: Evidence, limits: Thresholds) -> tuple[Candidate, ...]:
    """Return the closest entries worth a button, best first."""
    ranked = evidence.candidates[: limits.max_suggestions]
    return tuple(c for c in ranked if c.score >= limits.suggest)


def answers(evidence: Evidence, limits: Thresholds) -> bool:
    """Tell whether the top entry is safe to answer with outright."""
    top = evidence.top
    if top is None or evidence.missing or evidence.swapped:
        return False
    if _on_plain_route(evidence, limits):
        if _confident(evidence, limits):
            return True
        plain = evidence.margin >= limits.margin
        return (plain or _agreed(evidence, limits)) and agrees(evidence, limits)
    routes = (_clear_winner, _long_question, _agreed)
    return any(route(evidence, limits) for route in routes) and agrees(evidence, limits)


def _on_plain_route(evidence: Evidence, limits: Thresholds) -> bool:
    """Tell whether the question reaches the plain route: the answer score, few unknown words."""
    return evidence.top_score >= limits.answer and evidence.unseen_share <= limits.max_unseen


def _confident(evidence: Evidence, limits: Thresholds) -> bool:
    """Tell whether the plain route answers at ``confident``: nothing else is checked."""
    return _on_plain_route(evidence, limits) and evidence.top_score >= limits.confident


def agrees(evidence: Evidence, limits: Thresholds) -> bool:
    """Tell whether enough of the nearest phrasings are the top entry's or its siblings', or
    its closest phrasing is near enough that no vote is needed (a typo of a phrasing)."""
    top = evidence.top
    if top is not None and top.closeness >= limits.close_phrasing:
        return True
    return evidence.kin_agreement >= limits.min_agreement


def _clear_winner(evidence: Evidence, limits: Thresholds) -> bool:
    return (
        evidence.top_score >= limits.clear_answer
        and evidence.margin >= limits.clear_margin
        and evidence.unseen_share <= limits.clear_max_unseen
    )


def _long_question(evidence: Evidence, limits: Thresholds) -> bool:
    return (
        evidence.length >= limits.long_words
        and evidence.top_score >= limits.long_answer
        and evidence.unseen_share <= limits.long_max_unseen
        and evidence.margin >= limits.long_margin
    )


def _agreed(evidence: Evidence, limits: Thresholds) -> bool:
    return (
        evidence.length >= AGREED_MIN_WORDS
        and evidence.top_score >= limits.agreed_answer
        and evidence.margin >= limits.agreed_margin
        and evidence.unseen_share <= limits.agreed_max_unseen
        and evidence.agreement >= limits.agreed_share  # last: computed only when needed
    )


def lowest_answer(limits: Thresholds) -> float:
    """Return the lowest score any answer route accepts (a route set above 100 is off)."""
    return min(limits.answer, limits.clear_answer, limits.long_answer, limits.agreed_answer)


def companion(evidence: Evidence, limits: Thresholds) -> Candidate | None:
    """Return the sibling answered with the top entry: the closest, if within the margin and
    itself at least the lowest answer score; none for a question typed as a phrasing (the top
    scores ``confident``): it asked exactly that."""
    top, sibling = evidence.top, evidence.sibling
    if top is None or sibling is None or top.score >= limits.confident:
        return None
    if evidence.sibling_gap < limits.sibling_margin and sibling.score >= lowest_answer(limits):
        return sibling
    return None


def decide(evidence: Evidence, limits: Thresholds) -> MatchResult:
    """Turn the evidence about one question into an answer, suggestions or a decline."""
    query, kept = evidence.query, evidence.candidates[:KEPT]
    if evidence.empty:
        return MatchResult(query, "empty")
    offered = _offered(evidence, limits)
    if evidence.opinion:
        return MatchResult(query, "decline", kept, offered, opinion=True)
    if evidence.foreign:
        return MatchResult(query, "decline", kept, foreign=evidence.foreign)
    if not kept:
        return MatchResult(query, "decline")
    if evidence.vague and len(offered) >= 2:
        return MatchResult(query, "suggest", kept, offered)
    if answers(evidence, limits):
        return MatchResult(query, "answer", kept, companion=companion(evidence, limits))
    if offered:
        return MatchResult(query, "suggest", kept, offered, lacks=evidence.missing)
    return MatchResult(query, "decline", kept)


def reason(evidence: Evidence, limits: Thresholds) -> str:
    """Say in one line which rule of the policy decided, with the numbers it compared."""
    top = evidence.top
    if evidence.empty:
        return "no content word and no phrasing close to the whole message"
    if evidence.opinion:
        return "asks for an opinion or a prediction (rule 1)"
    if evidence.foreign:
        return f"names what the article never mentions: {', '.join(evidence.foreign)} (rule 2)"
    if top is None:
        return "shares no word with the knowledge (rule 3)"
    if evidence.vague and len(_offered(evidence, limits)) >= 2:
        return "one or two words that many entries share (rule 4)"
    answered = answers(evidence, limits)
    verdict = "answer (rule 5)" if answered else "not sure (rule 6)"
    checks = _route_checks(evidence, limits)
    return f"{verdict}: " + "; ".join([*checks, _pairing(evidence, limits, answered)])


def _pairing(evidence: Evidence, limits: Thresholds, answered: bool) -> str:
    """Say whether the answer gives the closest sibling too (or would, were it answered)."""
    sibling = evidence.sibling
    if sibling is None:
        return "no sibling scored"
    gap = _compare("sibling gap", evidence.sibling_gap, limits.sibling_margin)
    paired = companion(evidence, limits) is not None
    why = ""
    if not paired and evidence.sibling_gap < limits.sibling_margin:
        why = (
            " (typed as a phrasing: it asked exactly that)"
            if evidence.top_score >= limits.confident
            else f" (the sibling scores below {lowest_answer(limits):g})"
        )
    if answered:
        together = f"answered together with {sibling.entry.id}"
        return f"{gap}: " + (together if paired else "alone" + why)
    would = f"give {sibling.entry.id} too" if paired else "stand alone"
    return f"{gap}: an answer would {would}" + why


def _compare(name: str, value: float, limit: float, *, at_most: bool = False) -> str:
    ok = value <= limit if at_most else value >= limit
    sign = ("<=" if ok else ">") if at_most else (">=" if ok else "<")
    return f"{name} {value:.3g} {sign} {limit:g}"


def _route_checks(evidence: Evidence, limits: Thresholds) -> list[str]:
    """Return what blocks any answer, the agreement check, and the comparisons of each answer
    route: plain, clear winner, long question, agreed."""
    top = evidence.top
    assert top is not None
    unseen, margin = evidence.unseen_share, evidence.margin
    confident = top.score >= max(limits.confident, limits.answer)
    plain = [
        _compare("score", top.score, limits.answer),
        _compare("unseen share", unseen, limits.max_unseen, at_most=True),
        _compare("margin", margin, limits.margin)
        + (f" (not needed: score >= {limits.confident:g})" if confident else ""),
    ]
    clear = [
        _compare("score", top.score, limits.clear_answer),
        _compare("margin", margin, limits.clear_margin),
        _compare("unseen share", unseen, limits.clear_max_unseen, at_most=True),
    ]
    long = [
        _compare("words", evidence.length, limits.long_words),
        _compare("score", top.score, limits.long_answer),
        _compare("margin", margin, limits.long_margin),
        _compare("unseen share", unseen, limits.long_max_unseen, at_most=True),
    ]
    agreed = [
        _compare("words", evidence.length, AGREED_MIN_WORDS),
        _compare("score", top.score, limits.agreed_answer),
        _compare("own share of the nearest phrasings", evidence.agreement, limits.agreed_share),
        _compare("margin", margin, limits.agreed_margin),
        _compare("unseen share", unseen, limits.agreed_max_unseen, at_most=True),
    ]
    return [
        *_blocks(evidence),
        _agreement_check(evidence, limits),
        "plain: " + ", ".join(plain),
        "clear winner: " + ", ".join(clear),
        "long question: " + ", ".join(long),
        "agreed: " + ", ".join(agreed),
    ]


def _blocks(evidence: Evidence) -> list[str]:
    """Return what the question asks that the top entry cannot answer, if anything."""
    blocks = [MISSING_REASON[evidence.missing]] if evidence.missing else []
    if evidence.swapped:
        asked, replaced = evidence.swapped
        blocks.append(
            f"is the closest phrasing with '{replaced}' swapped for '{asked}', a word the "
            "knowledge never uses: it asks about something else"
        )
    return blocks


def _agreement_check(evidence: Evidence, limits: Thresholds) -> str:
    """Compare the nearest phrasings' agreement with its limit, and say when it is not needed."""
    top = evidence.top
    assert top is not None
    check = _compare(
        "nearest phrasings on the top entry or its siblings",
        evidence.kin_agreement,
        limits.min_agreement,
    )
    if top.closeness >= limits.close_phrasing:
        return (
            check
            + f" (not needed: closest phrasing {top.closeness:.3g} >= {limits.close_phrasing:g})"
        )
    if _confident(evidence, limits):
        return check + f" (not needed: plain route and score >= {limits.confident:g})"
    return check
