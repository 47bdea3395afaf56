from __future__ import annotations

from collections.abc import Iterable, Iterator

from saywho.batch import Item, extract_each
from saywho.records import Span, Statement


class Batching:
    """Like spaCy's nlp.pipe: works in batches of 3 and fails a whole batch for one bad text."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def pipe(self, items: Iterable[Item]) -> Iterator[list[Statement]]:
        items = list(items)
        for b in range(0, len(items), 3):
            batch = items[b : b + 3]
            if any("BAD" in text for text, _, _ in batch):
                raise ValueError("bad text in batch")
            for text, _, article in batch:
                self.seen.append(article)
                yield [Statement(article=article, kind="other", content=[Span.of(text, 0, len(text))])]


def test_each_item_once_in_order_and_only_the_bad_one_fails() -> None:
    texts = ["a", "b", "c", "d", "BAD e", "f", "g", "h", "BAD i", "j"]
    items: list[Item] = [(t, None, f"{i}") for i, t in enumerate(texts)]
    ex = Batching()
    results = list(extract_each(ex, items))
    assert [i for i, _ in results] == list(range(10))
    failed = [i for i, r in results if isinstance(r, Exception)]
    assert failed == [4, 8]
    for i, r in results:
        if not isinstance(r, Exception):
            assert r[0].article == str(i) and r[0].content[0].text == texts[i]


def test_no_items() -> None:
    assert list(extract_each(Batching(), [])) == []
