"""`python -m intacct_mock` is the same as the `intacct-mock` command."""

from .cli import main

main()
