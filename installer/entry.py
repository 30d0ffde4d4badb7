"""Entry of the frozen executables; what runs depends on the name it was started by.

``ketqual-cli`` (a console executable on Windows, a link to ``ketqual`` elsewhere) always
runs the command line and prints the help when given nothing. ``ketqual`` does what
``python -m ketqual`` does: no arguments, ``--smoke`` or a ``.ketqual`` file (what a file
association runs) open the app; a verb runs the command line.
"""

import multiprocessing
import sys
from pathlib import Path

CLI_NAME = "ketqual-cli"


def run() -> int:
    """Dispatch on the executable's name."""
    # Worker processes of a frozen program re-enter here; this hands them their job.
    multiprocessing.freeze_support()
    if Path(sys.argv[0]).stem.lower() == CLI_NAME:
        from ketqual import startup

        startup.begin("cli")  # as ketqual.__main__ does for the program
        from ketqual.cli.main import run_cli

        code = run_cli(sys.argv[1:] or ["--help"])
        startup.before_exit()
        return code
    from ketqual.__main__ import main

    return main()  # the program: arguments from sys.argv


if __name__ == "__main__":
    sys.exit(run())
