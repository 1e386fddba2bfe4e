"""Keyboards: the callback data we issue reads back as one kind and fits in 64 bytes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.replies import reply_to
from bot.knowledge.knowledge import Knowledge
from bot.telegram_bot.callbacks import AnswerButton, CallbackData, TopicsPageButton, VoteButton
from bot.telegram_bot.keyboards import reply_markup, topics_page, without_votes

KINDS: tuple[type[CallbackData], ...] = (AnswerButton, VoteButton, TopicsPageButton)


def readings(data: str) -> list[CallbackData]:
    """What each kind of button makes of ``data`` (None dropped)."""
    return [button for kind in KINDS if (button := kind.unpack(data)) is not None]


@pytest.mark.parametrize(
    "question", ["when was crimea annexed", "nato", "is finland in nato", "hello"]
)
def test_issued_callback_data_round_trips_and_fits(knowledge: Knowledge, question: str) -> None:
    """Every button we put under a reply reads back as one kind and stays within 64 bytes."""
    markup = reply_markup(reply_to(knowledge, question))
    assert markup is not None
    for row in markup.inline_keyboard:
        for button in row:
            assert len(button.callback_data.encode()) <= 64
            (read,) = readings(button.callback_data)
            assert read.pack() == button.callback_data


def test_every_topics_page_is_reachable_and_well_formed(knowledge: Knowledge) -> None:
    """Paging through /topics lists every entry once, with working navigation data."""
    seen: list[str] = []
    page = 0
    while True:
        _, markup = topics_page(knowledge, page)
        buttons = [b for row in markup.inline_keyboard for b in row]
        seen += [b.callback_data[4:] for b in buttons if b.callback_data.startswith("a:t:")]
        nav = [b.callback_data for b in buttons if b.callback_data.startswith("t:")]
        if f"t:{page + 1}" not in nav:
            break
        page += 1
    assert sorted(seen) == sorted(e.id for e in knowledge.entries)
    assert "page 1 of" in topics_page(knowledge, -5)[0]  # out-of-range pages are clamped


def test_votes_row_is_removed(knowledge: Knowledge) -> None:
    """After a vote the 👍/👎 row disappears and related questions stay."""
    markup = reply_markup(reply_to(knowledge, "when was crimea annexed"))
    rest = without_votes(markup)
    assert rest is not None
    assert all(
        not b.callback_data.startswith(("u:", "d:")) for r in rest.inline_keyboard for b in r
    )
    assert len(rest.inline_keyboard) == len(markup.inline_keyboard) - 1


@given(st.text(max_size=80))
def test_unpack_never_raises(data: str) -> None:
    """Arbitrary callback data reads as at most one kind, or none, never an exception."""
    assert len(readings(data)) <= 1
