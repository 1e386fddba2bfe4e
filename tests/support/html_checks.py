"""Test helper: check that reply HTML uses only the tags we emit, properly nested and closed."""

from __future__ import annotations

from html.parser import HTMLParser

ALLOWED_TAGS = {"b", "i", "blockquote"}


class TagChecker(HTMLParser):
    """Records every tag, and whether the tags are properly nested and closed."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[str] = []
        self.balanced = True

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append(tag)
        self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self.tags.append(tag)
        self.balanced = False

    def handle_endtag(self, tag: str) -> None:
        self.tags.append(tag)
        if not self.stack or self.stack.pop() != tag:
            self.balanced = False


def tags_of(html: str) -> list[str]:
    """Return the tags of ``html``, asserting they are b/i/blockquote and balanced."""
    checker = TagChecker()
    checker.feed(html)
    checker.close()
    assert set(checker.tags) <= ALLOWED_TAGS, checker.tags
    assert checker.balanced and not checker.stack, html
    return checker.tags
