"""Layout from positioned glyphs, shared by the PDF text-layer reader and OCR: geometry,
text lines, running headers and footers, borderless tables, page triage."""
