"""Canaries of newsbeam.pipeline.compat.construction: DoFn specs cached per class give Beam's answers."""

from __future__ import annotations

import apache_beam as beam
from apache_beam.coders import VarIntCoder
from apache_beam.transforms import userstate
from apache_beam.transforms.userstate import ReadModifyWriteStateSpec

from newsbeam.pipeline.compat.construction import cache_dofn_specs

COUNT = ReadModifyWriteStateSpec("count", VarIntCoder())


class _Counting(beam.DoFn):
    def process(self, element, count=beam.DoFn.StateParam(COUNT)):  # noqa: B008 - Beam's idiom
        yield element


class _Plain(beam.DoFn):
    def process(self, element):
        yield element


class _Holder:
    def stateful(self, element, count=beam.DoFn.StateParam(COUNT)):  # noqa: B008
        return element


def _beam_specs():
    specs = userstate.get_dofn_specs
    return getattr(specs, "__wrapped__", specs)


def test_cached_specs_equal_beams_and_are_fresh_sets():
    assert cache_dofn_specs() and cache_dofn_specs()  # applied once, however often asked
    for dofn in (_Counting(), _Plain(), beam.Map(len).fn):
        first, again = userstate.get_dofn_specs(dofn), userstate.get_dofn_specs(dofn)
        assert first == again == _beam_specs()(dofn)
        first[0].add("changed by a caller")
        assert "changed by a caller" not in userstate.get_dofn_specs(dofn)[0]
    assert userstate.is_stateful_dofn(_Counting()) and not userstate.is_stateful_dofn(_Plain())


def test_a_dofn_holding_a_bound_method_is_inspected_every_time():
    cache_dofn_specs()
    holder = _Plain()
    holder.process = _Holder().stateful  # a method of another object, with a state parameter
    assert userstate.get_dofn_specs(holder) == _beam_specs()(holder)
    assert userstate.get_dofn_specs(_Plain()) == (set(), set())
