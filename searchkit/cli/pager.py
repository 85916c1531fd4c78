"""Long text output through a pager, as git does it: only when stdout is a terminal, ``$PAGER`` or
``less``, with ``LESS=FRX`` unless set (quit when it fits one screen, keep colours, leave the text on
the screen). ``--no-pager`` turns it off."""

from __future__ import annotations

import os
import sys

import click


def pager_command() -> str | None:
    """The pager to run, or None when there is none ("cat" or an empty ``PAGER`` means none)."""
    import shlex  # these three only when the output goes to a terminal
    import shutil

    command = os.environ.get("PAGER", "less").strip()
    try:
        program = shlex.split(command)[0] if command else ""
    except ValueError:
        return None
    if not program or os.path.basename(program) == "cat" or shutil.which(program) is None:
        return None
    return command


def emit(text: str, paging: bool) -> None:
    """Print ``text`` on stdout: through the pager when ``paging`` and stdout is a terminal."""
    command = pager_command() if paging and sys.stdout.isatty() else None
    if command is None:
        click.echo(text)
        return
    env = dict(os.environ)
    env.setdefault("LESS", "FRX")
    env.setdefault("LV", "-c")
    import subprocess

    sys.stdout.flush()
    process = subprocess.Popen(command, shell=True, stdin=subprocess.PIPE, env=env)
    assert process.stdin is not None
    try:
        process.stdin.write((text + "\n").encode(sys.stdout.encoding or "utf-8", "replace"))
        process.stdin.close()
    except BrokenPipeError:  # the reader quit the pager before the end: that is fine
        pass
    while True:
        try:
            process.wait()
            break
        except KeyboardInterrupt:  # Ctrl-C belongs to the pager (less uses it to stop a search)
            continue
