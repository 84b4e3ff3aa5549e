"""`python -m mock_server` is the same as the `intacct-mock` command."""

from .cli import main

main()
