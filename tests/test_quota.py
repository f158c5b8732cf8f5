"""Quota arithmetic: own and shared places, usage, sums and the merged-cell table."""

from factories import announcement, block, category, recipient, units

from gongshi.check.quota import Allocation, TableCell


def setup():
    home, red = category("home", total=5), category("red", total=3)
    a, b, c, d = units("甲县", "乙县", "丙区", "丁区")
    blocks = [block(home, 2, a), block(home, 1, b), block(home, 2, c), block(home, 0, d),
              block(red, 2, a, b, c), block(red, 1, d)]
    return home, red, (a, b, c, d), blocks


def test_allotted_sums_own_and_shared_places_once():
    home, red, (a, b, c, d), blocks = setup()
    allocation = Allocation(announcement([home, red], (a, b, c, d), blocks))
    assert allocation.allotted("home") == 5
    assert allocation.allotted("red") == 3  # the shared 2 counts once, not three times


def test_usage_is_counted_per_unit_and_per_shared_block():
    home, red, (a, b, c, d), blocks = setup()
    people = [recipient(red, a, "一"), recipient(red, c, "二"), recipient(home, a, "三")]
    allocation = Allocation(announcement([home, red], (a, b, c, d), blocks, people))
    shared = allocation.block_for("red", "u1")
    assert shared is allocation.block_for("red", "u0")
    assert allocation.used_by_unit("red", "u0") == 1
    assert allocation.used_by_block(shared) == 2
    assert [r.name for r in allocation.recipients_in_block(shared)] == ["一", "二"]
    assert allocation.used_by_unit("home", "u0") == 1


def test_unit_quotas_show_shared_block_partners_and_remaining():
    home, red, (a, b, c, d), blocks = setup()
    people = [recipient(red, a, "一")]
    allocation = Allocation(announcement([home, red], (a, b, c, d), blocks, people))
    lines = {line.category.id: line for line in allocation.unit_quotas(b)}
    assert lines["red"].block.shared
    assert [u.name for u in lines["red"].partners] == ["甲县", "乙县", "丙区"]
    assert (lines["red"].used_by_unit, lines["red"].used_by_block, lines["red"].remaining) == (0, 1, 1)
    assert lines["home"].remaining == 1


def test_table_rows_merge_shared_cells_like_the_printed_table():
    home, red, (a, b, c, d), blocks = setup()
    allocation = Allocation(announcement([home, red], (a, b, c, d), blocks))
    rows = allocation.table_rows()
    assert rows[0].cells == (TableCell("2"), TableCell("2", 3))
    assert rows[1].cells == (TableCell("1"), None)
    assert rows[2].cells == (TableCell("2"), None)
    assert rows[3].cells == (TableCell("0"), TableCell("1"))


def test_a_unit_without_a_block_gets_an_empty_cell():
    home, red = category("home"), category("red")
    (a,) = units("甲县")
    allocation = Allocation(announcement([home, red], (a,), [block(home, 1, a)]))
    assert allocation.table_rows()[0].cells == (TableCell("1"), TableCell(""))
    assert allocation.block_for("red", "u0") is None


def test_a_blocks_recipients_are_in_list_order_whichever_unit():
    home, red, (a, b, c, d), blocks = setup()
    people = [recipient(red, c, "二"), recipient(home, a, "三"), recipient(red, a, "一"), recipient(red, d, "四")]
    allocation = Allocation(announcement([home, red], (a, b, c, d), blocks, people))
    shared = allocation.block_for("red", "u0")
    assert [r.name for r in allocation.recipients_in_block(shared)] == ["二", "一"]
    assert [r.name for r in allocation.recipients_in_block(allocation.block_for("home", "u1"))] == []
