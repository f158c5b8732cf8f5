"""The whole project read into one typed `Site`: every file cross-referenced, each list in
its published order, each announcement at its stage on the build day.

    model     typed records: categories, units, quota blocks, recipients, notice
    loader    reading a project folder into a `Site`
    ordering  the order each list is published in
    stages    where an announcement is on a given day: 通知 → 公示 → 决定
"""
