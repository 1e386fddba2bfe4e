"""A bounded memory of recently seen keys: the first sighting is new, repeats are not.

Used to accept one vote per message and user, and to handle a webhook update once when Telegram
delivers it again. It holds at most ``capacity`` keys and forgets
the oldest first, so its memory stays bounded however many keys arrive.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable


class RecentKeys:
    """The last ``capacity`` distinct keys seen, oldest forgotten first."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._keys: OrderedDict[Hashable, None] = OrderedDict()

    def first_time(self, key: Hashable) -> bool:
        """Remember ``key``; tell whether it was not among the recent keys."""
        if key in self._keys:
            return False
        self._keys[key] = None
        if len(self._keys) > self.capacity:
            self._keys.popitem(last=False)
        return True

    def __len__(self) -> int:
        return len(self._keys)
