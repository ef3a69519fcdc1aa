"""The bounded memo: never over its limit, exact on a hit, least recently used dropped first."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mockserver.memo import Memo


@given(st.integers(1, 8), st.lists(st.integers(0, 20), max_size=200))
def test_memo_never_exceeds_its_limit_and_answers_what_compute_gives(limit: int, keys: list[int]) -> None:
    memo: Memo[int, int] = Memo(limit)
    calls: list[int] = []

    def square(k: int) -> int:
        calls.append(k)
        return k * k

    for key in keys:
        assert memo.get_or_compute(key, lambda key=key: square(key)) == key * key
        assert len(memo) <= limit


@given(st.lists(st.integers(0, 5), min_size=1, max_size=100))
def test_memo_with_room_for_every_key_computes_each_key_once(keys: list[int]) -> None:
    memo: Memo[int, str] = Memo(6)
    calls: list[int] = []
    for key in keys:
        memo.get_or_compute(key, lambda key=key: calls.append(key) or str(key))
    assert sorted(calls) == sorted(set(keys))


def test_memo_drops_the_least_recently_used_entry() -> None:
    memo: Memo[str, int] = Memo(2)
    memo.put("a", 1)
    memo.put("b", 2)
    assert memo.get("a") == 1  # "a" is now the most recent
    memo.put("c", 3)
    assert "b" not in memo and "a" in memo and "c" in memo


def test_memo_keeps_the_first_value_stored_for_a_key() -> None:
    memo: Memo[str, list[int]] = Memo(4)
    first = memo.put("k", [1])
    assert memo.put("k", [1]) is first


def test_discard_where_drops_only_matching_keys() -> None:
    memo: Memo[tuple[str, int], int] = Memo(10)
    for account in ("a", "b"):
        for n in range(3):
            memo.put((account, n), n)
    memo.discard_where(lambda key: key[0] == "a")
    assert len(memo) == 3 and all(("b", n) in memo for n in range(3))


def test_set_replaces_a_kept_value_and_stays_within_the_limit() -> None:
    memo: Memo[str, int] = Memo(2)
    memo.put("a", 1)
    assert memo.set("a", 2) == 2 and memo.get("a") == 2  # put would have kept 1
    memo.set("b", 3)
    memo.set("c", 4)  # "a" is the least recently used
    assert memo.get("a") is None and memo.get("b") == 3 and memo.get("c") == 4
