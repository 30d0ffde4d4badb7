"""The choices a caller of the agreement report has, importable without numpy.

The command line offers these as option values; keeping them apart from the engine means
``ketqual --help`` and a mistyped option never load numpy.
"""

LEVELS = ("theme", "subtheme")
UNIT_KINDS = ("character", "sentence", "paragraph", "document")
