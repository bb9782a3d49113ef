"""How records cross stages: the coders round-trip every record and refuse one of another layout."""

from __future__ import annotations

import pickle

import pytest
from apache_beam import coders
from helpers.builders import PARAGRAPHS, make_article

from newsbeam.transforms.coders import (
    ArticleCoder,
    RecordMismatchError,
    fingerprint,
    pack_article,
    unpack_article,
)
from newsbeam.transforms.model import Article, Duplicate, Page, Provenance, Reject

RECORDS = [
    Page(input=Provenance("dumps/a.warc.gz", 3, 2), url="https://lantern.example/a", html="<p>Hi</p>"),
    make_article(id="a1", body="\n\n".join(PARAGRAPHS), extra={"people": ["Odile Varga"]}),
    Duplicate("a2", None, "a1", "near", 0.91, Provenance("dumps/b.html")),
    Reject.of(Provenance("dumps/c.jsonl", 7), "malformed_record", "line 8 is not valid JSON", "{oops"),
]


@pytest.mark.parametrize("record", RECORDS, ids=lambda record: type(record).__name__)
def test_the_registered_coder_of_each_record_round_trips_it(record):
    coder = coders.registry.get_coder(type(record))
    assert coder.to_type_hint() is type(record)
    assert coder.decode(coder.encode(record)) == record


def test_a_record_of_another_field_layout_fails_loudly_instead_of_shifting_fields():
    article = RECORDS[1]
    assert unpack_article(pack_article(article)) == article
    # What a worker whose Article had its fields in another order would have sent.
    fields = list(pickle.loads(pack_article(article))[1:])
    fields[0], fields[2] = fields[2], fields[0]
    foreign = pickle.dumps((b"\x00\x01\x02\x03", *fields))
    with pytest.raises(RecordMismatchError, match="Article record was encoded with other fields"):
        ArticleCoder().decode(foreign)


def test_the_fingerprint_follows_the_field_names_and_their_order():
    assert fingerprint(Article) != fingerprint(Page) != fingerprint(Reject)
    assert fingerprint(Article) == fingerprint(Article)
    assert isinstance(fingerprint(Duplicate), bytes) and len(fingerprint(Duplicate)) == 4
