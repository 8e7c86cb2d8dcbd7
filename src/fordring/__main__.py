"""`python -m fordring` runs the command line."""

from fordring.entrypoints.cli.main import main

main()
