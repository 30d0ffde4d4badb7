"""spaCy for KetQual: replaces pyinstaller-hooks-contrib's hook, which bundles every language.

KetQual only builds ``spacy.blank("en")`` with the rule-based sentencizer, so the other
language packages (and spaCy's own test suite) stay out. spaCy's top-level import pulls in
its cli and training modules, so those stay in.
"""

from pathlib import Path

from PyInstaller.utils.hooks import collect_data_files, collect_submodules, get_package_paths

# "xx" (multi-language) is imported by spaCy's training converters, and ja, ko, th, vi and
# zh by its registry (for their tokenizer factories) whenever a pipeline is built.
KEPT_LANGUAGES = {"en", "xx", "ja", "ko", "th", "vi", "zh"}

_lang_dir = Path(get_package_paths("spacy")[1]) / "lang"
_other_languages = {
    entry.name
    for entry in _lang_dir.iterdir()
    if entry.is_dir() and (entry / "__init__.py").exists() and entry.name not in KEPT_LANGUAGES
}


def _wanted(name: str) -> bool:
    parts = name.split(".")
    if len(parts) > 1 and parts[1] == "tests":
        return False
    return not (len(parts) > 2 and parts[1] == "lang" and parts[2] in _other_languages)


hiddenimports = collect_submodules("spacy", filter=_wanted)
datas = collect_data_files(
    "spacy",
    excludes=["tests/**", *(f"lang/{language}/**" for language in sorted(_other_languages))],
)
excludedimports = [f"spacy.lang.{language}" for language in sorted(_other_languages)] + [
    "spacy.tests"
]
