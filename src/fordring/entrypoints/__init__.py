"""Ways into fordring: the command line (and later the API, portal and workers)."""
