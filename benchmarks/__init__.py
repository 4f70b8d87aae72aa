"""Benchmarks, run as modules from the repository root: python -m benchmarks.<name>.

As modules, a script named like a standard module (statistics) does not hide it from the others."""
