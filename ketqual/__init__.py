"""KetQual: team qualitative analysis for framework studies."""

from importlib import metadata as _metadata

try:
    __version__ = _metadata.version("ketqual")
except _metadata.PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+source"
