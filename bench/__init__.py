"""On-demand benchmarks: run by hand (`make bench`), never by `make test`."""
