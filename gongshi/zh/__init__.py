"""The Chinese conventions the lists and pages follow, each with its own data.

    strokes        姓氏笔画 order of names and organisations (strokes.yaml: audited corrections)
    workdays       working days in mainland China, and 公示 periods counted in them
    chinese_dates  dates as official documents write them
    pinyin         pinyin of names from a table built once (pinyin.txt)
    names          names as people type them: spaces, padding, the 间隔号
    variants       names that differ only in traditional and simplified form
"""
