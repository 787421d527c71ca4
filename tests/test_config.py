"""The TOML config: every key of CONTRACTS.md §2 read, typed and traced to its source;
unknown keys and wrong types refused in one line; CLI options win over the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecopark import config
from ecopark.config import ConfigError

FULL = """
[check]
standard = "HJ 274-2015"
water_scarce_cities = ["西安", "太原"]
min_optional_assessed = 5

[check.regions]
"西安渭北经济技术开发区" = "water_scarce"

[limits]
timeout = 120
memory_mb = 2048
max_pages = 200
max_file_mb = 64
max_stream_mb = 32

[ocr]
enabled = false

[run]
workers = 2
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "ecopark.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_every_setting_is_read_and_fed_to_its_consumer(tmp_path: Path) -> None:
    s = config.load(_write(tmp_path, FULL))
    check = s.check_settings()
    assert check.standard == "HJ 274-2015"
    assert check.water_scarce_cities == ("西安", "太原")
    assert dict(check.park_regions) == {"西安渭北经济技术开发区": "water_scarce"}
    assert check.min_optional_assessed == 5
    limits = s.read_limits()
    assert (limits.max_pages, limits.max_file_mb, limits.max_stream_mb) == (200, 64, 32)
    assert limits.ocr is False
    assert s["timeout"] == 120.0 and s["memory_mb"] == 2048 and s["workers"] == 2
    assert set(s.sources.values()) == {"config"}


def test_found_in_the_current_folder_and_defaults_otherwise(tmp_path: Path) -> None:
    assert config.load(cwd=tmp_path).path is None
    assert config.load(cwd=tmp_path)["timeout"] == 300.0
    _write(tmp_path, "[run]\nworkers = 3\n")
    s = config.load(cwd=tmp_path)
    assert s["workers"] == 3 and s.sources["workers"] == "config"
    assert s.sources["timeout"] == "default"


def test_cli_overrides_the_file_and_says_so(tmp_path: Path) -> None:
    s = config.load(_write(tmp_path, FULL)).with_cli(timeout=30, workers=None)
    assert s["timeout"] == 30.0 and s.sources["timeout"] == "cli"
    assert s["workers"] == 2 and s.sources["workers"] == "config"
    assert "timeout = 30.0 (cli)" in s.describe()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[limit]\ntimeout = 3\n", "unknown table [limit]"),
        ("[limits]\ntimeot = 3\n", "unknown key 'timeot' in [limits]"),
        ("[limits]\ntimeout = 'slow'\n", "wrong type"),
        ("[ocr]\nenabled = 1\n", "wrong type"),
        ("[run]\nworkers = true\n", "wrong type"),
        ("[limits]\nmax_pages = 0\n", "must be more than 0"),
        ('[check.regions]\n"某园区" = "desert"\n', "a region is one of"),
        ("[check]\nwater_scarce_cities = [1]\n", "a list of place names"),
        ("[check\n", "not valid TOML"),
    ],
)
def test_mistakes_are_one_line(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError) as err:
        config.load(_write(tmp_path, text))
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_python_settings_use_the_same_names() -> None:
    s = config.from_kwargs(standard="HJ 274-2009", ocr=False)
    assert s.check_settings().standard == "HJ 274-2009" and s.read_limits().ocr is False
    with pytest.raises(ConfigError, match="unknown setting"):
        config.from_kwargs(timeout_s=3)
