"""Jobs (issue 16): the entry point of the workers. Each job is a thin wrapper of the
service of the same name (Lago's shape: jobs/ delegates, services do the work), registered
on the bootstrap's procrastinate App by `tasks.with_jobs`; `schedule.py`
lists the periodic jobs and why they run when they do. On SQLite nothing here runs:
`fordring run` calls the same services in-process (docs/workers.md)."""
