"""Tests of the built site as it is really served: nginx, a browser, and `build.py serve`.

This folder is a package so its module names (served.test_serve, ...) never clash with
test files of the same name elsewhere under tests/.
"""
