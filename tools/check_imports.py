"""Check the stage layering and module cycles of the package, from the code's own imports.

Stages, bottom to top: schemas ← extract ← normalize ← ecopark. A module may import its own
stage or a lower one, never a higher one; and no two modules may import each other, directly
or through others. Imports inside functions (lazy imports) count like the others: a cycle
that only shows at run time is still a cycle.

    python tools/check_imports.py          # exit 1 and one line per problem

Run from the project root (CI does).
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

LAYERS = ("schemas", "extract", "normalize", "ecopark")


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules(root: Path) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for top in LAYERS:
        for path in sorted((root / top).rglob("*.py")):
            found[module_name(root, path)] = path
    return found


def _resolve(name: str, known: dict[str, Path]) -> str | None:
    """The longest known module that ``name`` is or lies in."""
    while name:
        if name in known:
            return name
        name = name.rpartition(".")[0]
    return None


def imports_of(mod: str, path: Path, known: dict[str, Path]) -> Iterator[str]:
    """Project modules that ``mod`` imports explicitly (``from p import m`` counts as p.m
    when m is a module)."""
    package = mod if path.name == "__init__.py" else mod.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                target = _resolve(alias.name, known)
                if target:
                    yield target
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*up, base] if base else up)
            for alias in node.names:
                target = _resolve(f"{base}.{alias.name}", known) or _resolve(base, known)
                if target:
                    yield target


def layer(mod: str) -> int:
    return LAYERS.index(mod.split(".")[0])


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    counter = 0

    def visit(v: str) -> None:
        nonlocal counter
        index[v] = low[v] = counter
        counter += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def problems(root: Path) -> list[str]:
    known = modules(root)
    graph = {m: set(imports_of(m, p, known)) - {m} for m, p in known.items()}
    out = [
        f"upward import: {m} ({LAYERS[layer(m)]}) imports {t} ({LAYERS[layer(t)]})"
        for m, targets in sorted(graph.items())
        for t in sorted(targets)
        if layer(t) > layer(m)
    ]
    out += [f"import cycle: {' ↔ '.join(c)}" for c in cycles(graph)]
    return out


def main() -> int:
    found = problems(Path.cwd())
    for line in found:
        print(line)
    if not found:
        print(f"imports ok: {len(modules(Path.cwd()))} modules, layers {' ← '.join(LAYERS)}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
