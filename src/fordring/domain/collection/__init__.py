"""Collection (inndriving): the letters, cases, steps and states of SPEC C1-C11."""
