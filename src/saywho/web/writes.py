"""The web app's writes: an article posted or pasted (extracted, then stored by the same write path as
``saywho ingest``), topics added or removed (as ``saywho topic add``), and actor merges. Callers check
the token first (:mod:`saywho.web.security`)."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from datetime import date
from pathlib import PurePosixPath

from saywho import EXTRACTOR_VERSION, textio
from saywho.batch import Piper
from saywho.records import Article
from saywho.store import Database
from saywho.store import actors as actors_mod
from saywho.store.write import Stored, lookup, store_article
from saywho.web import data

HTML_SUFFIXES = (".html", ".htm", ".xhtml")


class Unprocessable(ValueError):
    """A posted article that cannot be stored (no text, binary data, an unreadable page); one line."""


def default_extractor() -> Piper:
    """As ``saywho ingest``: statements, and positions taken without speech ("voted for the tax")."""
    from saywho.extraction import Extractor
    from saywho.positions.statements import WithActions

    return WithActions(Extractor())


def read_for_topics(db: Database) -> None:
    """As ``saywho ingest`` after storing: every stored topic reads the statements new to it."""
    from saywho.positions import store as positions_store

    positions_store.bring_up_to_date(db)


class Writer:
    """Extracts and stores posted articles, then lets every topic read them; the spaCy pipeline (and
    the topic models) are loaded on the first one.

    One article at a time (a lock): the pipeline is shared, and one large article should not make
    several threads parse at once on a small server.
    """

    def __init__(
        self,
        db: Database,
        make_extractor: Callable[[], Piper] = default_extractor,
        update_topics: Callable[[Database], object] | None = read_for_topics,
    ) -> None:
        self.db = db
        self._make = make_extractor
        self._update_topics = update_topics
        self._extractor: Piper | None = None
        self._lock = threading.Lock()

    def _get(self) -> Piper:
        if self._extractor is None:
            self._extractor = self._make()
        return self._extractor

    def store(self, article: Article) -> Stored:
        """Extract (unless the same article is stored, extracted by this version) and store, idempotently."""
        if not article.text.strip():
            raise Unprocessable("the article has no text")
        row = lookup(self.db, article)
        if row is not None and row.extractor_version == EXTRACTOR_VERSION:
            return store_article(self.db, article, None, source_kind="web")  # adds a URL it lacked
        with self._lock:
            found = next(iter(self._get().pipe([(article.text, article.published, article.id)])))
            stored = store_article(self.db, article, found, source_kind="web")
            try:
                if self._update_topics is not None:
                    self._update_topics(self.db)
            finally:
                data.invalidate(self.db)  # new statements, actors, stances: topic figures change
        return stored

    def read_topics(self) -> None:
        """Every topic reads the stored statements it has not read (after a topic is added); in the
        background, one such reading at a time, with posted articles waiting meanwhile."""
        if self._update_topics is None:
            return
        with self._lock:
            try:
                self._update_topics(self.db)
            finally:
                data.invalidate(self.db)


def label_for(text: str, title: str | None, url: str | None, filename: str | None) -> str:
    """What the article's statement records call it: its URL, file name or title, else its text's hash."""
    for candidate in (url, filename, title):
        if candidate and candidate.strip():
            return candidate.strip()[:200]
    return "pasted-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def article_from_text(
    text: str,
    *,
    title: str | None = None,
    url: str | None = None,
    published: date | None = None,
    outlet: str | None = None,
    author: str | None = None,
    filename: str | None = None,
) -> Article:
    return Article(
        id=label_for(text, title, url, filename),
        text=text,
        url=(url or "").strip() or None,
        title=(title or "").strip() or None,
        outlet=(outlet or "").strip() or None,
        author=(author or "").strip() or None,
        published=published,
    )


def article_from_upload(
    data: bytes,
    filename: str | None,
    *,
    title: str | None = None,
    url: str | None = None,
    published: date | None = None,
    outlet: str | None = None,
) -> Article:
    """An uploaded file: a web page (``.html``: its main text and metadata) or plain text (UTF-8)."""
    name = PurePosixPath(filename or "").name or None
    if name and name.lower().endswith(HTML_SUFFIXES):
        from saywho.ingest import Failure
        from saywho.ingest.html import from_html

        item = from_html(data, label=url or name, url=url)
        if isinstance(item, Failure):
            raise Unprocessable(f"{name}: {item.reason}")
        a = item.article
        return Article(
            id=a.id,
            text=a.text,
            url=(url or None),
            title=(title or a.title),
            outlet=(outlet or a.outlet),
            author=a.author,
            published=published or a.published,
        )
    try:
        text = textio.decode(data)
    except textio.InputError as exc:
        raise Unprocessable(f"{name or 'upload'}: {exc.message}") from None
    if not text:
        raise Unprocessable(f"{name or 'upload'}: empty, nothing to extract")
    return article_from_text(text, title=title, url=url, published=published, outlet=outlet, filename=name)


def merge(db: Database, actor_id: int, others: list[int]) -> int:
    """Fold ``others`` into ``actor_id`` (pinned, as ``saywho merge``); the statements moved.

    Raises ``LookupError`` naming an id that is no actor.
    """
    from sqlalchemy import select

    from saywho.store.schema import actors

    ids = list(dict.fromkeys(o for o in others if o != actor_id))
    with db.writer.begin() as conn:
        known = set(conn.execute(select(actors.c.id).where(actors.c.id.in_([actor_id, *ids]))).scalars())
        missing = [i for i in [actor_id, *ids] if i not in known]
        if missing:
            raise LookupError(f"no actor #{missing[0]}")
        moved = actors_mod.merge(conn, actor_id, ids) if ids else 0
    data.invalidate(db)
    return moved


class TopicRefused(ValueError):
    """A topic that cannot be added: no proposition (``conflict`` False), or its name is taken (True)."""

    def __init__(self, message: str, conflict: bool = False) -> None:
        super().__init__(message)
        self.conflict = conflict


def add_topic(db: Database, proposition: str, keywords: list[str], name: str | None) -> int:
    """Store a topic as ``saywho topic add --db`` does (its id); the statements are read for it later,
    by :meth:`Writer.read_topics`."""
    from saywho.positions import store as positions_store
    from saywho.positions.topics import TopicError, make_topic

    try:
        topic = make_topic(proposition, keywords, name)
        stored = positions_store.add_topic(db, topic)
    except TopicError as exc:
        raise TopicRefused(str(exc)) from None
    except positions_store.TopicExists:
        raise TopicRefused(f"a topic named {topic.name!r} exists: choose another name", True) from None
    data.invalidate(db)
    return stored.id


def remove_topic(db: Database, topic_id: int) -> bool:
    """Forget a topic, its stances with it (False: no such topic)."""
    from saywho.positions import store as positions_store

    gone = positions_store.remove_topic(db, topic_id)
    data.invalidate(db)
    return gone
