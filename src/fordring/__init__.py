"""fordring: accounts receivable and debt collection for Norwegian businesses."""

__version__ = "0.1.0"
