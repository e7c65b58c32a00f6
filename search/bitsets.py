"""Records as bits: filtering, facet counts and ordering for a snapshot, as integer operations.

Each record of a snapshot has a position, and each facet value the set of positions of the
records that have it, held as one Python integer (bit *n* set: the record at position *n* has
the value). Filtering is then ``&`` and ``|`` of a few integers, and counting a facet value is
``(records & value).bit_count()``; both run in C over 64 records a step, where looping over
record objects in Python costs a dictionary lookup or more per record and value.

Positions follow the newest-first order, so the newest records of a set are its lowest bits.
"""

from collections import defaultdict
from itertools import repeat
from operator import itemgetter

from .facets import FACETS

ONE = ord("1")


class RecordIndex:
    def __init__(self, records):
        """``records``: the snapshot's records, any order."""
        self.records = sorted(records, key=lambda record: record.newest_order)
        self.positions = {record.key: position for position, record in enumerate(self.records)}
        self.page_positions = {
            page_id: position
            for position, record in enumerate(self.records)
            for page_id in record.pages.values()
        }
        self.all = (1 << len(self.records)) - 1
        # Positions by when each record was last checked (updated or confirmed), latest first;
        # ties keep the newest-first order.
        self.checked_order = sorted(
            range(len(self.records)),
            key=lambda position: -_ordinal(self.records[position].checked),
        )
        positions = {facet: defaultdict(list) for facet in FACETS}
        for position, record in enumerate(self.records):
            for facet, values in record.facets.items():
                for value in values:
                    positions[facet][value].append(position)
        # facet -> {value: bits of the records with it}
        self.values = {
            facet: {value: self._bits(found) for value, found in by_value.items()}
            for facet, by_value in positions.items()
        }

    def scores(self, hits):
        """The best score of each record's pages, from (page id, score) hits, as ``Scores``.

        Hits may come in any order and include pages the snapshot does not hold (drafts,
        private pages): those are dropped. One sort, best first, gives both each record's best
        score and the records in the order ``best`` walks them; every step runs in C, where a
        loop over some 14,000 hits in Python costs more than the rest of the search.
        """
        ordered = sorted(hits, key=itemgetter(1), reverse=True)
        positions = list(map(self.page_positions.get, map(itemgetter(0), ordered)))
        values = map(itemgetter(1), reversed(ordered))
        # Read backwards, a record's best score is the last written for it.
        scores = Scores(zip(reversed(positions), values, strict=True))
        ranked = dict.fromkeys(positions)
        if None in ranked:  # pages the snapshot does not hold
            del scores[None], ranked[None]
        scores.ranked = list(ranked)
        return scores

    def of(self, keys):
        """The bits of the records with these translation keys (unknown keys are left out)."""
        return self._bits(filter(_known, map(self.positions.get, keys)))

    def at(self, positions):
        """The bits of the records at these positions."""
        return self._bits(positions)

    def _bits(self, positions):
        """An integer with the bits at ``positions`` set (in C: a loop in Python costs
        more than the rest of a search for a word in every record)."""
        flags = bytearray(b"0") * len(self.records)
        any(map(flags.__setitem__, positions, repeat(ONE)))  # sets every position
        flags.reverse()  # the highest position is the most significant digit
        return int(flags, 2) if flags else 0

    def filtered(self, bits, filters, skip=None):
        """``bits`` narrowed by ``filters``: AND across facets, OR within one (but ``skip``)."""
        for facet, chosen in filters.items():
            if facet == skip:
                continue
            values = self.values.get(facet, {})
            either = 0
            for value in chosen:
                either |= values.get(value, 0)
            bits &= either
            if not bits:
                break
        return bits

    def counts(self, bits, filters):
        """{facet: {value: records}}, each facet counted with the other facets' filters applied.

        A record that passes every filter counts in every facet; one that fails a single
        facet's filter counts in that facet only (choosing another value there would include
        it). Values no record in ``bits`` has are left out.
        """
        passing = self.filtered(bits, filters)
        counts = {}
        for facet, values in self.values.items():
            among = self.filtered(bits, filters, skip=facet) if facet in filters else passing
            found = {}
            if among:
                for value, has in values.items():
                    count = (among & has).bit_count()
                    if count:
                        found[value] = count
            counts[facet] = found
        return counts

    def newest(self, bits, start, end):
        """Records ``start`` to ``end`` (exclusive) of ``bits``, newest first."""
        flags = _flags(bits)
        found, position = [], -1
        for _ in range(end):
            position = flags.find("1", position + 1)
            if position < 0:
                break
            found.append(position)
        return [self.records[position] for position in found[start:]]

    def recently_checked(self, bits, start, end):
        """Records ``start`` to ``end`` (exclusive) of ``bits``, the latest checked first."""
        flags = _flags(bits)
        found = []
        for position in self.checked_order:
            if position < len(flags) and flags[position] == "1":
                found.append(position)
                if len(found) >= end:
                    break
        return [self.records[position] for position in found[start:]]

    def best(self, bits, scores, start, end):
        """[(record, score)] ``start`` to ``end`` of ``bits`` by score, ties newest first.

        ``scores``: the ``Scores`` of the records matched (``bits`` is a subset of them).
        Records are walked best first until ``end`` of ``bits`` are found and every record
        tied with the last of them; only those are sorted by the full key.
        """
        if not bits:
            return []
        # Without filters every scored record is in ``bits``: nothing to check.
        flags = None if bits.bit_count() == len(scores) else _flags(bits)
        found = []
        for position in scores.ranked:
            if flags is not None and (position >= len(flags) or flags[position] != "1"):
                continue
            score = scores[position]
            if len(found) >= end and score < found[-1][0]:
                break
            found.append((score, position))
        # Ties: the lowest position is the newest record.
        found.sort(key=lambda item: (-item[0], item[1]))
        return [(self.records[position], score) for score, position in found[start:end]]


class Scores(dict):
    """{record position: score}, and ``ranked``: the positions, best score first."""

    ranked = ()

    @classmethod
    def of(cls, mapping):
        """``Scores`` from a {position: score} mapping."""
        scores = cls(mapping)
        scores.ranked = sorted(scores, key=scores.__getitem__, reverse=True)
        return scores


def _known(position):
    return position is not None


def _flags(bits):
    """``bits`` as a string of "0" and "1", position 0 first (ends at the highest bit set)."""
    return bin(bits)[:1:-1]


def _ordinal(day):
    return day.toordinal() if day else 0
