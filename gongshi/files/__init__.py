"""Each project file on its own: reading YAML with its line numbers and Markdown with its front
matter, invisible characters in any of them, which files under data/ are read, and the shape
every data file must have (schema).

    yamlfile   YAML data files: encodings, line numbers, duplicate keys, Chinese errors
    invisible  zero-width, direction and control characters nobody can see
    content    Markdown documents under content/: front matter plus body
    datafiles  which files under data/ are read
    stray      a finding for any other file under data/
    errors     the error a data file that cannot be read raises (DataFileError)
    schema     the shape of every data file, declared once, with Chinese errors
    shapes     the same shapes as plain data, made from schema by scripts/make_shapes.py
    quick      the usual file read against shapes without pydantic; anything else to schema
    values     the checks of single values and the words both schema and quick use
"""
