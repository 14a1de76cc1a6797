"""CLI sub-commands: one module each, discovered by `veille.cli`.

A command module defines NAME (the sub-command), HELP (one line), DESCRIPTION (the long
`--help` text, with examples), `add_arguments(parser)` and `run(args) -> int` (exit status).
Commands are thin: they parse arguments and call the service layer.
"""
