"""The `fordring` command line: parse, call one service, print; no business logic."""
