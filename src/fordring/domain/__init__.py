"""Pure rules and value types of fordring: no I/O, no clock, only the standard library
and small pure libraries (python-stdnum)."""
