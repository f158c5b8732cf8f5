"""Code only the tests use: reference implementations and helpers."""
