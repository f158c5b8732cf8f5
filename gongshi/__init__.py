"""gongshi: a static site generator for official award announcements (公示).

The build flows in one direction, and the folders show it; a package imports only the ones
listed before it (tests/test_layout.py holds that):

    codes, findings, fsproblems, process, urls   the base: every layer reports through findings
    files/    each project file on its own: YAML with its lines, Markdown, the schema of each
    zh/       the Chinese conventions: strokes, working days, dates, pinyin, names, variants
    load/     the whole project read into a typed, ordered `Site`, and its stages by date
    check/    the notice's rules over the site, quotas, personal numbers, the report
    site/     the published files: pages, HTML, downloads, search index, feeds, output
    pipeline  the build as a short list of steps: load, check, plan pages, render, write
    staff/    the office's tools around the build: import, template, new, verify
    cli, serve, launcher (with argparse_zh, livereload_adapter)   the commands
"""

__version__ = "0.1.0"
