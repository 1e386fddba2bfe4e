"""Callback data dataclasses: the wire format buttons in chats carry, strict both ways."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.knowledge.knowledge import Knowledge
from bot.telegram_bot.callbacks import (
    LETTER_OF_SOURCE,
    AnswerButton,
    CallbackData,
    TopicsPageButton,
    VoteButton,
)

KINDS: tuple[type[CallbackData], ...] = (AnswerButton, VoteButton, TopicsPageButton)
slugs = st.from_regex(r"\A[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,3}\Z")


@pytest.mark.parametrize(
    ("button", "data"),
    [
        (AnswerButton("suggest", "crimea-annexed"), "a:s:crimea-annexed"),
        (AnswerButton("decline", "war-duration"), "a:d:war-duration"),
        (AnswerButton("related", "summary"), "a:r:summary"),
        (AnswerButton("topics", "summary"), "a:t:summary"),
        (AnswerButton("start", "summary"), "a:g:summary"),
        (VoteButton(True, "war-duration"), "u:war-duration"),
        (VoteButton(False, "war-duration"), "d:war-duration"),
        (TopicsPageButton(0), "t:0"),
        (TopicsPageButton(12), "t:12"),
    ],
)
def test_wire_format_is_unchanged(button: CallbackData, data: str) -> None:
    """Each kind packs to the format already in chats, and reads it back as itself only."""
    assert button.pack() == data
    assert type(button).unpack(data) == button
    assert [kind for kind in KINDS if kind.matches(data)] == [type(button)]


def test_every_shipped_entry_fits_every_button(knowledge: Knowledge) -> None:
    """Every entry id of the shipped knowledge packs into each button kind and reads back."""
    for entry in knowledge.entries:
        for source in LETTER_OF_SOURCE:
            button = AnswerButton(source, entry.id)
            assert AnswerButton.unpack(button.pack()) == button
        for up in (True, False):
            vote = VoteButton(up, entry.id)
            assert VoteButton.unpack(vote.pack()) == vote


@given(st.sampled_from(sorted(LETTER_OF_SOURCE)), slugs, st.booleans(), st.integers(0, 10**40))
def test_round_trips(source: str, entry_id: str, up: bool, page: int) -> None:
    """unpack(pack(x)) == x for every valid button of every kind."""
    answer = AnswerButton(source, entry_id)  # type: ignore[arg-type]
    assert AnswerButton.unpack(answer.pack()) == answer
    assert VoteButton.unpack(VoteButton(up, entry_id).pack()) == VoteButton(up, entry_id)
    assert TopicsPageButton.unpack(TopicsPageButton(page).pack()) == TopicsPageButton(page)


def test_vote_values() -> None:
    """👍 is +1 and 👎 is -1, as the log stores them."""
    assert VoteButton(True, "x").vote == 1
    assert VoteButton(False, "x").vote == -1


@pytest.mark.parametrize(
    "make",
    [
        lambda: AnswerButton("suggest", "a:b"),  # the separator in a field
        lambda: VoteButton(True, "war:duration"),
        lambda: AnswerButton("suggest", "x" * 41),  # an entry id over 40 bytes
        lambda: AnswerButton("suggest", ""),
        lambda: AnswerButton("suggest", "Not-A-Slug"),
        lambda: AnswerButton("suggest", "crimea-annexed\n"),
        lambda: AnswerButton("elsewhere", "summary"),  # type: ignore[arg-type]
        lambda: TopicsPageButton(-1),
        lambda: TopicsPageButton(10**70),  # "t:" and 71 digits: over 64 bytes
    ],
)
def test_pack_refuses_data_that_would_not_read_back(make: object) -> None:
    """pack() raises ValueError instead of issuing data unpack() would refuse."""
    with pytest.raises(ValueError):
        make().pack()  # type: ignore[operator]


@pytest.mark.parametrize(
    "data",
    [
        "",
        ":",
        "zzz-not-ours",
        "a",
        "a:",
        "a:s",
        "a:s:",
        "a::war-duration",
        "a:x:war-duration",  # unknown source letter
        "a:S:war-duration",
        "a:s:war-duration:extra",
        "a:s:War-Duration",
        "a:s:war--duration",
        "a:s:-war",
        "a:s:../../etc/passwd",
        "a:s:war-duration\n",
        "a:s:" + "x" * 41,  # entry id over 40 bytes
        "a:s:" + "x" * 61,  # over 64 bytes
        "u:",
        "d:",
        "u:war-duration:x",
        "v:war-duration",
        "U:war-duration",
        "t:",
        "t:-1",
        "t:+1",
        "t: 1",
        "t:1.5",
        "t:1e3",
        "t:²",  # "²".isdigit() is True, int("²") fails
        "t:٣",  # an Arabic-Indic digit: isdigit() and int() both accept it
        "t:1:2",
        "t:" + "9" * 63,  # over 64 bytes
        "T:1",
        "🙂" * 16,
        "a:s:crimea-annexé",
    ],
)
def test_unpack_refuses_malformed_data(data: str) -> None:
    """No kind reads malformed data: wrong prefix or field count, empty or invalid fields."""
    assert [kind for kind in KINDS if kind.unpack(data) is not None] == []


@pytest.mark.parametrize("data", [None, 12, b"a:s:summary", object()])
def test_unpack_refuses_what_is_not_text(data: object) -> None:
    """Data that is not a string (PTB's arbitrary callback data, a game button) reads as None."""
    assert all(kind.unpack(data) is None for kind in KINDS)


def test_leading_zeros_still_turn_pages() -> None:
    """A page of ASCII digits with leading zeros reads as the number, as it always has."""
    assert TopicsPageButton.unpack("t:007") == TopicsPageButton(7)
