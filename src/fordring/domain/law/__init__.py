"""Norwegian law as dated data: every legal number lives here with its source and date."""
