"""Small helpers shared by the measurement analyses (and free for any other).

``exclusion_notes(ds)`` turns the recipe's exclusions (already dropped by
core.data.prepare and counted in ``Dataset.excluded``) into "n excluded, why"
notes, so every result says how many respondents were left out and why.
"""
from __future__ import annotations

from core.data.model import Dataset
from core.types import Note


def exclusion_notes(ds: Dataset) -> list[Note]:
    return [Note("exclusions.note.excluded", {"n": int(n), "reason": str(reason)})
            for reason, n in (ds.excluded or {}).items() if n]


def listwise_note(dropped: int, what: str) -> list[Note]:
    return [Note("measure.note.listwise", {"n": int(dropped), "what": what})] if dropped else []
