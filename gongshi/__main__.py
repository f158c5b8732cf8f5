"""`python -m gongshi …`: the same as the `gongshi` command."""

from .launcher import run

run()
