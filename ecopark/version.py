"""The installed ecopark version, which every record carries: a record written by
another version is redone on resume. Its own module so that deciding a resume loads no
stage of the pipeline."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    ECOPARK_VERSION = version("ecopark")
except PackageNotFoundError:  # running from a checkout without install
    ECOPARK_VERSION = "0+unknown"
