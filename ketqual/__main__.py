"""``ketqual`` / ``python -m ketqual``: no arguments opens the app, a verb runs the CLI."""

from __future__ import annotations

import sys

from ketqual import startup


def main(argv: list[str] | None = None) -> int:
    """Dispatch to the desktop app or the command line.

    Called as the program (no ``argv``: the ``ketqual`` command, ``python -m ketqual``, the
    frozen bundle), it also keeps the cycle collector out of the process's start and exit
    (:mod:`ketqual.startup`); a caller passing ``argv`` (a test, a benchmark) keeps its
    interpreter as it was.
    """
    program = argv is None
    code = _dispatch(argv, program)
    if program:
        startup.before_exit()
    return code


def _dispatch(argv: list[str] | None, program: bool) -> int:
    if getattr(sys, "frozen", False):
        # A frozen app re-enters here in import worker processes; this hands them their
        # job. (Elsewhere it does nothing, and importing multiprocessing costs a start.)
        import multiprocessing

        multiprocessing.freeze_support()
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] == "gui" or _is_app_start(args[0]):
        app_args = args[1:] if args and args[0] == "gui" else args
        if program:
            startup.begin("app")
        from ketqual.gui.app_args import parse_args

        parse_args(app_args)  # a mistyped option is refused before Qt loads
        # Imported here so CLI verbs never pay for (or need) Qt. Qt first: the start
        # screen paints before the database layer loads (``run_app``).
        from ketqual.gui.app import run_app

        return run_app(app_args, start_screen=program)
    if program:
        startup.begin("cli")
    from ketqual.cli.main import run_cli

    return run_cli(args)


def _is_app_start(first: str) -> bool:
    # `ketqual --smoke` (build checks) and `ketqual FILE.ketqual` or `FILE.kqpkg` (what a
    # desktop's file association runs) start the app, not a verb.
    return first == "--smoke" or first.lower().endswith((".ketqual", ".kqpkg"))


if __name__ == "__main__":
    sys.exit(main())
