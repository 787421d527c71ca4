"""Extraction: ``read`` (file → SourceDoc, one reader per source kind) and ``recover``
(SourceDoc → RawReport). The two document models sit here: ``source`` and ``raw``."""
