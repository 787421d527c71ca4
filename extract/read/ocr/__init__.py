"""OCR of page images (rapidocr's bundled PP-OCR models): engine, grids found by
morphology, glyphs placed into cells, ticks judged from the image."""
