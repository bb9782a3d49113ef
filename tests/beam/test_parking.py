"""Parking records in batch files: what is parked is read back whole, in order, and checked."""

from __future__ import annotations

import uuid
from pathlib import Path

import apache_beam as beam
import pytest
from apache_beam.testing.util import assert_that, equal_to
from helpers import memfs
from helpers.beam import TestPipeline

from newsbeam.transforms.runtime.parking import (
    BATCHES,
    LOCATED,
    Park,
    ParkedBatch,
    frame_records,
    read_batch,
)

HEADLINES = [
    "Harbour council approves the eastern ferry terminal",
    "Valley orchards expect an early cherry harvest",
    "Night trams return to the old town on Monday",
    "Coastal library reopens after a two-year refit",
    "Regional rail strike called off at the last minute",
]


def _encode(text: str) -> bytes:
    return text.encode("utf-8")


def _decoded(batch: ParkedBatch) -> list[str]:
    return [record.decode("utf-8") for record in read_batch(batch)]


def _check_parking(folder: str | None, records_per_batch: int, sizes: list[int]) -> None:
    """Park the headlines: read back, they are all there; the batches have ``sizes``."""
    with TestPipeline() as pipeline:
        batches = (
            pipeline | beam.Create(HEADLINES) | Park(folder, _encode, records_per_batch=records_per_batch)
        )[BATCHES]
        assert_that(batches | "Read back" >> beam.FlatMap(_decoded), equal_to(HEADLINES), label="records")
        assert_that(batches | "Size" >> beam.Map(lambda batch: batch.count), equal_to(sizes), label="sizes")
        stored = batches | "Where" >> beam.Map(lambda batch: (batch.path is not None, len(batch.records)))
        expected = [(True, 0)] * len(sizes) if folder else [(False, size) for size in sizes]
        assert_that(stored, equal_to(expected), label="stored")


def test_records_parked_in_files_come_back_whole_in_batches_of_the_given_size(tmp_path: Path) -> None:
    folder = str(tmp_path / "staging" / "_parked" / "boilerplate")
    _check_parking(folder, records_per_batch=2, sizes=[2, 2, 1])
    files = sorted((tmp_path / "staging" / "_parked" / "boilerplate").iterdir())
    assert len(files) == 3 and all(path.suffix == ".bin" for path in files)


def test_without_a_folder_the_records_travel_in_the_batch() -> None:
    _check_parking(None, records_per_batch=10, sizes=[5])


def test_an_object_store_folder_holds_the_batches() -> None:
    root = f"{memfs.PREFIX}{uuid.uuid4().hex}"
    try:
        _check_parking(f"{root}/_parked/dedup", records_per_batch=3, sizes=[3, 2])
        assert len(memfs.objects(root + "/_parked/dedup/")) == 2
    finally:
        memfs.clear(root + "/")


def _located_records(joined: tuple[str, dict[str, list]]) -> list[tuple[str, bool]]:
    """Each located text with whether its location points at it in its batch."""
    _, sides = joined
    [batch] = sides["batch"]
    texts = _decoded(batch)
    return [(text, texts[position] == text) for position, text in sides["located"]]


def test_locations_point_at_the_parked_records(tmp_path: Path) -> None:
    with TestPipeline() as pipeline:
        parked = (
            pipeline
            | beam.Create(HEADLINES)
            | Park(str(tmp_path), _encode, located=True, records_per_batch=2)
        )
        checked = (
            {
                "batch": parked[BATCHES] | "By name" >> beam.Map(lambda batch: (batch.name, batch)),
                "located": parked[LOCATED]
                | "By batch" >> beam.Map(lambda located: (located[0][0], (located[0][1], located[1]))),
            }
            | beam.CoGroupByKey()
            | beam.FlatMap(_located_records)
        )
        assert_that(checked, equal_to([(text, True) for text in HEADLINES]))


def _first_word(text: str) -> str:
    return text.split()[0]


def _keyed_texts(keyed: tuple[str, ParkedBatch]) -> list[tuple[str, str]]:
    return [(keyed[0], text) for text in _decoded(keyed[1])]


def _key_and_sizes(keyed: tuple[str, ParkedBatch]) -> tuple[str, int, int]:
    return keyed[0], keyed[1].count, len(keyed[1].records)


def test_keyed_batches_share_one_file_per_bundle_and_read_back_their_own_records(tmp_path: Path) -> None:
    # Thousands of keys (partitions of a backfill) must not mean thousands of open files.
    texts = [f"key{index % 1500} {headline}" for index, headline in enumerate(HEADLINES * 600)]
    with TestPipeline() as pipeline:
        batches = (pipeline | beam.Create(texts) | Park(str(tmp_path), _encode, key=_first_word))[BATCHES]
        read_back = batches | "Read back" >> beam.FlatMap(
            lambda keyed: [(keyed[0], t) for t in _decoded(keyed[1])]
        )
        assert_that(read_back, equal_to([(_first_word(text), text) for text in texts]))
    assert len(list(tmp_path.iterdir())) == 2  # 3,000 records, 2,000 a file


def test_without_a_folder_keyed_batches_hold_their_own_records() -> None:
    with TestPipeline() as pipeline:
        batches = (pipeline | beam.Create(HEADLINES) | Park(None, _encode, key=_first_word))[BATCHES]
        keys = batches | "Key and size" >> beam.Map(
            lambda keyed: (keyed[0], keyed[1].count, len(keyed[1].records))
        )
        assert_that(keys, equal_to([(_first_word(text), 1, 1) for text in HEADLINES]))


def test_a_keyed_file_cut_short_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "batch.bin"
    path.write_bytes(frame_records([_encode(text) for text in HEADLINES[:2]]))
    second = 4 + len(_encode(HEADLINES[0]))
    assert _decoded(ParkedBatch("b", 1, str(path), offsets=(second,))) == HEADLINES[1:2]
    path.write_bytes(path.read_bytes()[:-3])
    with pytest.raises(OSError, match=f"cut short in the record at byte {second}"):
        _decoded(ParkedBatch("b", 1, str(path), offsets=(second,)))


def test_a_batch_file_cut_short_or_missing_records_is_an_error_not_a_shorter_batch(tmp_path: Path) -> None:
    path = tmp_path / "batch.bin"
    path.write_bytes(frame_records([_encode(text) for text in HEADLINES[:3]]))
    whole = path.read_bytes()
    assert _decoded(ParkedBatch("b", 3, str(path))) == HEADLINES[:3]
    with pytest.raises(OSError, match="holds 3 records, 4 were parked"):
        _decoded(ParkedBatch("b", 4, str(path)))
    path.write_bytes(whole[:-5])
    with pytest.raises(OSError, match="cut short in record 2"):
        _decoded(ParkedBatch("b", 3, str(path)))
    path.write_bytes(whole + b"\x00\x00")
    with pytest.raises(OSError, match="cut short after 3 records"):
        _decoded(ParkedBatch("b", 3, str(path)))


def test_a_batch_size_below_one_and_located_keyed_batches_are_refused() -> None:
    with pytest.raises(ValueError, match="records_per_batch must be positive"):
        Park(None, _encode, records_per_batch=0)
    with pytest.raises(ValueError, match="located elements need unkeyed batches"):
        Park(None, _encode, key=_first_word, located=True)
