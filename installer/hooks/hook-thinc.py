"""thinc for KetQual: as pyinstaller-hooks-contrib's hook, without thinc's test suite and
without ``thinc.mypy``, its plugin for the mypy type checker (only mypy loads it)."""

from PyInstaller.utils.hooks import collect_data_files, collect_submodules

hiddenimports = collect_submodules(
    "thinc", filter=lambda name: ".tests" not in name and name != "thinc.mypy"
)
datas = collect_data_files("thinc", excludes=["tests/**"])
excludedimports = ["thinc.tests", "thinc.mypy"]
