"""E-mail: sending through an SMTP server."""
