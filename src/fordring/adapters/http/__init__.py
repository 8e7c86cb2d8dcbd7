"""HTTP clients to the outside: the webhook sender."""
