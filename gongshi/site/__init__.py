"""The published site: which pages exist, their HTML, the files for download and for machines,
and writing it all into the output folder in one swap.

    pages         the site map: every page, its URL, template and context
    lists         a category's list as pages and downloads show it
    render        pages into HTML (jinja2)
    downloads     CSV, XLSX (xlsxfile) and JSON copies of the lists
    search        what a reader can type: hanzi, pinyin, initials
    search_index  the static site-wide search index
    objection     the objection channel's mailto: links
    feeds         sitemap, robots.txt, Atom feed, SHA256SUMS
    publish       making every published file, read by the personal-number guard
    parallel      the build's second process
    outdir        which folder a build may replace
    output        the staged folder, swapped in whole
"""
