"""KetQual: team qualitative analysis for framework studies."""

# The one place the version is written: pyproject.toml reads it from here
# ([tool.setuptools.dynamic]), and a frozen bundle has no package metadata to ask.
__version__ = "0.1.0"
