"""The text-layer PDF reader: byte guard, pdfium glyphs and path objects, ruled grids;
pages without a usable text layer go to ``extract.read.ocr``."""
