"""KetQual gui layer (see DESIGN in README).

Importing it first protects the interpreter from a PySide6 6.12 fault on CPython 3.11:
Qt methods returning nothing drop a reference to ``None`` each time, and after some tens
of thousands of calls (a long coding session) Python would abort. See
:mod:`ketqual.render.refs`.
"""

from ketqual.render.refs import make_none_immortal

make_none_immortal()
