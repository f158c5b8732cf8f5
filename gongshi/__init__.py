"""gongshi: a static site generator for official award announcements (公示).

The build flows in one direction, one module per step:
yamlfile/content (read) -> loader + schema (typed model) -> checks (rules)
-> pages (site map) -> render (HTML) -> output (atomic swap).
"""

__version__ = "0.1.0"
