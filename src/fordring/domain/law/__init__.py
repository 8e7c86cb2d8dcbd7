"""Norwegian law as dated data: every legal number lives here with its source and date.

`tables` (dated rows, RateBook) and `builtin_rates` hold the numbers; `interest`, `fees`,
`salaer`, `compensation`, `deadlines` and `allocation` compute with them, each result
carrying its `explanation` (docs/law.md).
"""
