"""Use cases: one function per verb. Each opens a unit of work, loads, calls the domain and
commits once; they speak to storage only through the ports in `ports/`."""
