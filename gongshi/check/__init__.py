"""The checks over a loaded site, and how their findings are shown.

    checks    the notice's rules, each finding with a stable code
    quota     quota arithmetic and the 附件 table
    decision  the 决定 against the 公示: every difference a recorded change
    privacy   what counts as a personal number, and where it is looked for
    formulas  what a spreadsheet takes for a formula
    report    findings and the build summary for staff (Chinese) or machines (JSON)
"""
