"""The settings a user keeps per archive, in TOML: ``ecopark.toml`` in the current folder
or ``--config FILE``; CLI options override them, defaults fill the rest.

    [check]   standard = "HJ 274-2015"; water_scarce_cities = ["西安"]; min_optional_assessed = 6
    [check.regions]  "某某经济技术开发区" = "water_scarce"
    [limits]  timeout = 300; memory_mb = 3072; max_pages = 1000; max_file_mb = 512
              max_stream_mb = 256
    [ocr]     enabled = true
    [run]     workers = 2

Unknown tables or keys and values of the wrong type are errors (a typo must never leave a
setting silently at its default); ``ConfigError`` carries a one-line message.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

CONFIG_NAME = "ecopark.toml"
Source = Literal["config", "cli", "default"]
Region = Literal["water_scarce", "jingjinji", "other"]


class ConfigError(ValueError):
    """A mistake in the config file or in a setting, said in one line."""


# Every key the file may hold: table → key → (type check, description for messages).
_INT = (int,)
_NUM = (int, float)
SCHEMA: dict[str, dict[str, tuple[type, ...]]] = {
    "check": {
        "standard": (str,),
        "water_scarce_cities": (list,),
        "min_optional_assessed": _INT,
        "regions": (dict,),
    },
    "limits": {
        "timeout": _NUM,
        "memory_mb": _INT,
        "max_pages": _INT,
        "max_file_mb": _INT,
        "max_stream_mb": _INT,
    },
    "ocr": {"enabled": (bool,)},
    "run": {"workers": _INT},
}
DEFAULTS: dict[str, Any] = {
    "standard": None,
    "water_scarce_cities": (),
    "min_optional_assessed": None,
    "regions": {},
    "timeout": 300.0,
    "memory_mb": 3072,
    "max_pages": 1000,
    "max_file_mb": 512,
    "max_stream_mb": 256,
    "ocr": True,
    "workers": 0,  # 0 = all cores
}
# A file key → the setting it fills (the same name except [ocr] enabled).
_SETTING: dict[tuple[str, str], str] = {("ocr", "enabled"): "ocr"}


@dataclass(frozen=True)
class Settings:
    """Every per-archive setting with where it came from (config, cli or default)."""

    values: Mapping[str, Any] = field(default_factory=lambda: dict(DEFAULTS))
    sources: Mapping[str, Source] = field(
        default_factory=lambda: dict.fromkeys(DEFAULTS, "default")
    )
    path: Path | None = None  # the config file read, if any

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    def with_cli(self, **given: Any) -> Settings:
        """These settings overridden by the options given on the command line (None = not
        given)."""
        values, sources = dict(self.values), dict(self.sources)
        for name, value in given.items():
            if name not in DEFAULTS:
                raise ConfigError(f"unknown setting {name!r}")
            if value is not None:
                values[name] = _checked(name, value, "option")
                sources[name] = "cli"
        return Settings(values, sources, self.path)

    def check_settings(self) -> Any:
        """The checker's settings (schemas.checker.CheckSettings)."""
        from dataclasses import fields

        from schemas.checker import CheckSettings

        given: dict[str, Any] = {
            "standard": self["standard"],
            "water_scarce_cities": tuple(self["water_scarce_cities"]),
            "park_regions": dict(self["regions"]),
            "min_optional_assessed": self["min_optional_assessed"],
        }
        if any(f.name == "origins" for f in fields(CheckSettings)):
            # Where each came from, for the record (the checker's ``origins`` field).
            name = {"park_regions": "regions"}
            given["origins"] = {k: self.sources[name.get(k, k)] for k in list(given)}
        return CheckSettings(**given)

    def read_limits(self) -> Any:
        """The readers' limits (extract.limits.ReadLimits)."""
        from extract.limits import ReadLimits

        return ReadLimits(
            max_pages=self["max_pages"],
            max_file_mb=self["max_file_mb"],
            max_stream_mb=self["max_stream_mb"],
            ocr=self["ocr"],
        )

    def describe(self) -> list[str]:
        """One line per setting: its value and where it came from (for ``-v``)."""
        return [f"{k} = {self.values[k]!r} ({self.sources[k]})" for k in DEFAULTS]


def _checked(name: str, value: Any, where: str) -> Any:
    if name == "water_scarce_cities":
        if isinstance(value, str):
            value = [v.strip() for v in value.split(",") if v.strip()]
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where} water_scarce_cities: a list of place names is needed")
        return tuple(value)
    if name == "regions":
        regions = get_args(Region)
        if not isinstance(value, Mapping):
            raise ConfigError(f"{where} regions: a table of park name = region is needed")
        for park, region in value.items():
            if region not in regions:
                raise ConfigError(
                    f"{where} regions: {park!r} = {region!r}; a region is one of "
                    + ", ".join(regions)
                )
        return dict(value)
    if name in ("timeout",) and isinstance(value, int | float) and not isinstance(value, bool):
        if value <= 0:
            raise ConfigError(f"{where} {name}: must be more than 0")
        return float(value)
    if isinstance(DEFAULTS[name], int) and not isinstance(DEFAULTS[name], bool):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{where} {name}: a whole number is needed, not {value!r}")
        if value < 0 or (value == 0 and name != "workers"):
            raise ConfigError(f"{where} {name}: must be more than 0")
    if name == "min_optional_assessed" and (not isinstance(value, int) or value < 0):
        raise ConfigError(f"{where} {name}: a whole number ≥ 0 is needed")
    return value


def parse(data: Mapping[str, Any], where: str = "config") -> tuple[dict[str, Any], list[str]]:
    """Settings named in a parsed TOML document; raises ConfigError on unknown keys."""
    values: dict[str, Any] = {}
    for table, body in data.items():
        keys = SCHEMA.get(table)
        if keys is None:
            raise ConfigError(
                f"{where}: unknown table [{table}]; known: " + ", ".join(f"[{t}]" for t in SCHEMA)
            )
        if not isinstance(body, Mapping):
            raise ConfigError(f"{where}: {table} must be a table ([{table}])")
        for key, value in body.items():
            types = keys.get(key)
            if types is None:
                raise ConfigError(
                    f"{where}: unknown key {key!r} in [{table}]; known: " + ", ".join(keys)
                )
            if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
                raise ConfigError(
                    f"{where}: [{table}] {key} = {value!r} has the wrong type "
                    f"({' or '.join(t.__name__ for t in types)} needed)"
                )
            name: str = _SETTING.get((table, key)) or key
            values[name] = _checked(name, value, f"{where}: [{table}]")
    return values, list(values)


def load(path: Path | None = None, cwd: Path | None = None) -> Settings:
    """The settings of ``path`` (an error when it is missing), else of ``ecopark.toml`` in
    ``cwd`` when there is one, else the defaults."""
    explicit = path is not None
    target = path if path is not None else (cwd or Path.cwd()) / CONFIG_NAME
    if not target.exists():
        if explicit:
            raise ConfigError(f"config file not found: {target}")
        return Settings()
    if target.is_dir():
        raise ConfigError(f"config file is a folder: {target}")
    try:
        data = tomllib.loads(target.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"cannot read config file {target}: {err}") from err
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{target}: not valid TOML: {err}") from err
    given, names = parse(data, str(target))
    values = {**DEFAULTS, **given}
    sources: dict[str, Source] = {k: ("config" if k in names else "default") for k in DEFAULTS}
    return Settings(values, sources, target)


def from_kwargs(**settings: Any) -> Settings:
    """Settings for the Python API: keyword names as in the config (``standard``,
    ``water_scarce_cities``, ``regions``, ``timeout``, ``ocr``, ``workers`` …)."""
    unknown = sorted(set(settings) - set(DEFAULTS))
    if unknown:
        raise ConfigError(f"unknown setting(s): {', '.join(unknown)}; known: {', '.join(DEFAULTS)}")
    return Settings().with_cli(**settings)
