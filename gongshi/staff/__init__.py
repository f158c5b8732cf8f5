"""Tools for the office staff around the build: importing the units' workbooks, the template,
starting the next announcement.

    tables     reading .xlsx/.xls/.ods/.csv into plain grids (cells, merged ranges, encodings)
    headers    finding the header row and what each column is (built-in variants + import.yaml)
    lookup     recognising categories and recommending units from what people typed
    mapping    data/<slug>/import.yaml: the office's own header, sheet and unit names
    records    turning data rows into recipient records, each value tied to its cell
    yamltext   writing a category's list as YAML, remembering which cell made each line
    changes    what an import would add, remove and change in the lists already there
    files      atomic writes and dated backups outside data/
    importer   the whole import: read, map, check like a build, translate findings to cells
    report     the import's report in Chinese
    template   the workbook the units fill in (gongshi template)
    new        the next announcement from the last one's settings (gongshi new)
    commands   the subcommands, called from gongshi.cli
"""
