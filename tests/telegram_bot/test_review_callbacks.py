"""The /review button's callback data: strict pack and unpack."""

from __future__ import annotations

import pytest

from bot.telegram_bot.callbacks import AnswerButton, ReviewButton

DIGEST = "0123456789ab"


@pytest.mark.parametrize(
    "button",
    [
        ReviewButton("add", 2, DIGEST),
        ReviewButton("out", 0, DIGEST),
        ReviewButton("save", 0, DIGEST),
    ],
)
def test_review_buttons_read_back(button: ReviewButton) -> None:
    data = button.pack()
    assert data.startswith("v:") and len(data) <= 64
    assert ReviewButton.unpack(data) == button
    assert ReviewButton.kind(button.action)(data)
    assert AnswerButton.unpack(data) is None


@pytest.mark.parametrize(
    "data",
    [
        "v:a:3:" + DIGEST,  # only three candidates
        "v:o:1:" + DIGEST,  # an option on a button that has none
        "v:z:0:" + DIGEST,
        "v:a:0:" + DIGEST.upper(),
        "v:a:0:" + DIGEST[:-1],
        "v:a:0:" + DIGEST + ":x",
        "v:a:²:" + DIGEST,
        "a:s:war-duration",
        None,
        42,
    ],
)
def test_malformed_review_data_is_refused(data: object) -> None:
    assert ReviewButton.unpack(data) is None


def test_packing_refuses_what_would_not_read_back() -> None:
    for bad in (
        ReviewButton("add", 3, DIGEST),
        ReviewButton("out", 1, DIGEST),
        ReviewButton("add", 0, "not-a-digest"),
    ):
        with pytest.raises(ValueError):
            bad.pack()
