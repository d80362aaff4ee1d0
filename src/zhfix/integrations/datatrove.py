"""zhfix as a step of a `datatrove <https://github.com/huggingface/datatrove>`_ pipeline.

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter
    from zhfix.integrations.datatrove import ZhfixRepair

    LocalPipelineExecutor(
        pipeline=[JsonlReader("shards/"), ZhfixRepair(), JsonlWriter("clean/")],
        tasks=64, workers=-1, logging_dir="logs/zhfix",
    ).run()

Each document's ``text`` is repaired with :func:`zhfix.repair`; what was done
goes to ``doc.metadata["zhfix"]`` (JSON-serialisable, fixed keys, so it also
fits a Parquet schema)::

    {"changed": True,
     "diagnosis": {"disguised": True, "reason": "simplified text disguised as ..."},
     "steps": [{"name": "remove-pinyin", "count": 4}, {"name": "to-simplified", "count": 17}],
     "lossy": [{"line": 3, "kind": "lost-char"}],   # places zhfix found but cannot repair
     "lossy_count": 1}

``steps`` is the replayable plan (:func:`zhfix.apply_plan`); ``lossy`` lists at
most `max_lossy` places (``lossy_count`` counts them all).  With
``drop_lossy=True`` documents that still have lossy places are dropped (stat
``dropped_lossy``; pass ``exclusion_writer=`` to keep them somewhere).

This module imports datatrove; ``import zhfix`` does not.
"""
from __future__ import annotations

from typing import List, Optional

from datatrove.data import Document
from datatrove.pipeline.filters.base_filter import BaseFilter
from datatrove.pipeline.writers.disk_base import DiskWriter

import zhfix
from zhfix.config import Config
from zhfix.result import Result

__all__ = ["ZhfixRepair", "summarize"]

#: Default configuration: the same as the ``zhfix`` command line.  Per-change
#: explanations are off, since at corpus scale they only cost time; lossy
#: places are located all the same.
DEFAULT_CONFIG = Config(explain=False)


def summarize(result: Result, max_lossy: int = 20) -> dict:
    """The compact, JSON-serialisable account of `result` stored in the metadata."""
    lossy: List[dict] = []
    total = 0
    for step in result.steps:
        if not (step.name.startswith("lossy") and step.count):
            continue
        total += step.count
        default_kind = "misaligned-gbk" if step.name == "lossy-misaligned" else "lossy"
        for change in step.changes:
            if len(lossy) >= max_lossy:
                break
            kind = change.note if step.name == "lossy" and change.note else default_kind
            lossy.append({"line": change.line, "kind": kind})
    return {
        "changed": result.changed,
        "diagnosis": {"disguised": bool(result.diagnosis.disguised), "reason": result.diagnosis.reason},
        "steps": [{"name": s.name, "count": s.count} for s in result.steps if s.kind == "fix" and s.count],
        "lossy": lossy,
        "lossy_count": total,
    }


class ZhfixRepair(BaseFilter):
    """Repair each document's text with :func:`zhfix.repair`.

    Args:
        config: a :class:`zhfix.Config` (default: the command line's, without
            per-change explanations).  Keyword arguments override its fields,
            e.g. ``ZhfixRepair(strip_boilerplate=False)``.
        metadata_key: where the summary goes in ``doc.metadata`` (None: nowhere).
        drop_lossy: drop documents in which lossy places remain (bytes lost
            before zhfix saw them: ``锟斤拷``, U+FFFD, a ``?`` standing for a lost
            character).  Off by default: such documents are kept and flagged.
        exclusion_writer: a datatrove writer that receives the dropped documents
            (repaired, with their metadata and ``filter_reason="lossy"``).
        max_lossy: at most this many lossy places listed per document.

    Stats (besides datatrove's total/forwarded/dropped): ``changed``,
    ``disguised``, ``lossy``, ``step_<name>`` (documents a step changed),
    ``error`` (a zhfix failure: the document is passed on unchanged).
    """

    name = "🀄 zhfix"
    type = "✂️ - FORMAT"

    def __init__(self, config: Optional[Config] = None, metadata_key: Optional[str] = "zhfix",
                 drop_lossy: bool = False, exclusion_writer: Optional[DiskWriter] = None,
                 max_lossy: int = 20, **overrides):
        super().__init__(exclusion_writer)
        config = config or DEFAULT_CONFIG
        self.config = config._replace(**overrides) if overrides else config
        self.metadata_key = metadata_key
        self.drop_lossy = drop_lossy
        self.max_lossy = max_lossy

    def filter(self, doc: Document):
        try:
            result = zhfix.repair(doc.text, self.config)
        except Exception as e:  # a bug in one stage must not stop a whole task
            from loguru import logger

            logger.warning(f"zhfix failed on document {doc.id!r}: {type(e).__name__}: {e}")
            self.stat_update("error")
            if self.metadata_key:
                doc.metadata[self.metadata_key] = {"error": f"{type(e).__name__}: {e}"}
            return True
        doc.text = result.text
        summary = summarize(result, self.max_lossy)
        if self.metadata_key:
            doc.metadata[self.metadata_key] = summary
        if summary["changed"]:
            self.stat_update("changed")
            for step in summary["steps"]:
                self.stat_update(f"step_{step['name']}")
        if summary["diagnosis"]["disguised"]:
            self.stat_update("disguised")
        if summary["lossy_count"]:
            self.stat_update("lossy")
            if self.drop_lossy:
                return False, "lossy"
        return True
