"""The debtor's pages (issue 19, docs/debtor_page.md), at /d: sign-in with the code and
PIN a letter prints, and the debtor's own case. Every route acts on the visit's case only."""
