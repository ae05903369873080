"""Demo material: realistic, clearly fictional reports for benchmarks, tests and demos."""
