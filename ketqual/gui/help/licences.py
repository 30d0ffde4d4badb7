"""The third-party components KetQual ships with, their versions and licences.

From a source checkout this is computed from the installed distributions' metadata
(KetQual's requirements, followed recursively). A frozen bundle has no such metadata, so
installer/build.sh writes it beforehand (``python -m ketqual.gui.help.licences -o DIR``) into
``third-party-licenses.json`` and ``THIRD-PARTY-LICENSES.txt`` in the bundle's resources,
and :func:`components` reads the JSON when it is there. Plain Python: no Qt.
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import sys
import tomllib
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path

from ketqual.io.atomic import write_atomically
from ketqual.ops import resources

BUNDLED_JSON = "third-party-licenses.json"
BUNDLED_TEXT = "THIRD-PARTY-LICENSES.txt"
# Optional extras that a bundle includes when they are installed (team server, packages).
EXTRAS = ("postgres",)
_LICENCE_FILE = re.compile(r"^(licen[cs]e|copying|notice)", re.IGNORECASE)


@dataclass(frozen=True)
class Component:
    """One bundled component: name, version, licence name and the licence texts found."""

    name: str
    version: str
    licence: str
    texts: tuple[str, ...] = ()


def components() -> list[Component]:
    """The components, from the bundled list when there is one, else from metadata."""
    bundled = resources.resources_dir() / BUNDLED_JSON
    if bundled.exists():
        return _load(bundled)
    return collect()


def collect(root: str = "ketqual", extras: tuple[str, ...] = EXTRAS) -> list[Component]:
    """Walk ``root``'s requirements (and installed ``extras``) and describe each one."""
    seen: dict[str, metadata.Distribution] = {}
    followed: set[tuple[str, tuple[str, ...]]] = set()
    pending = _root_requirements(root, extras)
    while pending:
        name, wanted = pending.pop()
        key = _normalise(name)
        if (key, wanted) in followed:
            continue
        followed.add((key, wanted))
        try:
            dist = seen.get(key) or metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue  # an optional extra that is not installed is not bundled either
        seen[key] = dist
        pending.extend(_requirements(dist.requires or [], wanted))
    found = [_describe(dist) for dist in seen.values()]
    found.append(_python())
    return sorted(found, key=lambda component: component.name.lower())


def licence_name(meta) -> str:
    """A short licence name: the SPDX expression, a short License field, or classifiers."""
    expression = meta.get("License-Expression")
    if expression:
        return expression.strip()
    field = (meta.get("License") or "").strip()
    if field and "\n" not in field and len(field) <= 80:
        return field
    classifiers = [
        c.split("::")[-1].strip()
        for c in meta.get_all("Classifier") or []
        if c.startswith("License ::") and c.count("::") >= 2
    ]
    if classifiers:
        return "; ".join(classifiers)
    return "see the licence text" if field else "not stated"


def as_text(found: list[Component]) -> str:
    """The plain-text THIRD-PARTY-LICENSES file: a table, then every licence text."""
    width = max(len(c.name) for c in found)
    lines = [
        "KetQual includes the following third-party components.",
        "",
        *(f"{c.name:<{width}}  {c.version:<12}  {c.licence}" for c in found),
        "",
    ]
    for component in found:
        lines += ["=" * 78, f"{component.name} {component.version}: {component.licence}", "=" * 78]
        lines += list(component.texts) or ["(no licence file in the package metadata)"]
        lines.append("")
    return "\n".join(lines)


def write(folder: Path, found: list[Component] | None = None) -> list[Path]:
    """Write the JSON (for the About box) and the text file (for people) into ``folder``."""
    found = collect() if found is None else found
    folder.mkdir(parents=True, exist_ok=True)
    json_path, text_path = folder / BUNDLED_JSON, folder / BUNDLED_TEXT
    payload = json.dumps([asdict(c) for c in found], indent=1, ensure_ascii=False)
    write_atomically(json_path, lambda tmp: tmp.write_text(payload, encoding="utf-8"))
    text = as_text(found)
    write_atomically(text_path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    return [json_path, text_path]


def _load(path: Path) -> list[Component]:
    rows = json.loads(path.read_text(encoding="utf-8"))
    return [Component(r["name"], r["version"], r["licence"], tuple(r["texts"])) for r in rows]


def _root_requirements(root: str, extras: tuple[str, ...]) -> list[tuple[str, tuple[str, ...]]]:
    try:
        requires = metadata.distribution(root).requires or []
    except metadata.PackageNotFoundError:
        # A bare checkout that was never installed: read the list from pyproject.toml.
        pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
        if not pyproject.exists():
            return []
        project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
        requires = list(project.get("dependencies", []))
        for extra in extras:
            requires += project.get("optional-dependencies", {}).get(extra, [])
        extras = ()
    return _requirements(requires, extras)


def _requirements(
    requires: list[str], extras: tuple[str, ...]
) -> list[tuple[str, tuple[str, ...]]]:
    """(name, extras asked for) of each requirement that applies here with ``extras``."""
    from packaging.requirements import Requirement  # spaCy depends on it, so it is there

    found = []
    for line in requires:
        requirement = Requirement(line)
        marker = requirement.marker
        if marker is None or any(marker.evaluate({"extra": extra}) for extra in ("", *extras)):
            # psycopg[binary] brings psycopg-binary: its extras are followed too.
            found.append((requirement.name, tuple(sorted(requirement.extras))))
    return found


def _describe(dist: metadata.Distribution) -> Component:
    texts = []
    for file in dist.files or []:
        parts = Path(str(file)).parts
        in_metadata = parts and parts[0].endswith(".dist-info")
        if in_metadata and _LICENCE_FILE.match(parts[-1]):
            try:
                texts.append(Path(str(dist.locate_file(file))).read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError):
                continue
    name = licence_name(dist.metadata)
    if not texts:
        texts = _standard_texts(name)
    return Component(dist.metadata["Name"], dist.version, name, tuple(texts))


# Standard licence texts shipped in resources/licences/ for packages whose metadata names a
# licence without including its text (PySide6 and shiboken6: LGPL-3.0, which builds on the
# GPL-3.0, so both texts go with it).
_STANDARD_TEXTS = {"LGPL-3.0": ("LGPL-3.0.txt", "GPL-3.0.txt"), "GPL-3.0": ("GPL-3.0.txt",)}


def _standard_texts(name: str) -> list[str]:
    folder = resources.resources_dir() / "licences"
    for key, files in _STANDARD_TEXTS.items():
        if key in name:
            return [
                (folder / f).read_text(encoding="utf-8") for f in files if (folder / f).exists()
            ]
    return []


def _python() -> Component:
    text_path = Path(sys.base_prefix) / "lib" / f"python{sys.version_info[0]}.{sys.version_info[1]}"
    candidates = [text_path / "LICENSE.txt", Path(sys.base_prefix) / "LICENSE.txt"]
    texts = tuple(p.read_text(encoding="utf-8") for p in candidates if p.exists())[:1]
    return Component("Python", platform.python_version(), "PSF-2.0", texts)


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def main(argv: list[str] | None = None) -> int:
    """``python -m ketqual.gui.help.licences -o DIR``: write the licence files for a bundle."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, required=True, help="folder to write into")
    args = parser.parse_args(argv)
    for path in write(args.output):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
