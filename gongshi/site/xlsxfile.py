"""A small XLSX writer for the downloads: one sheet of text and whole numbers, and nothing else.

Why not a spreadsheet library: the 公示 list is one plain table, and writing it is string
joining, while openpyxl (and xlsxwriter) spend seconds on 100,000 rows building cell objects.
What the file holds is exactly what this module writes:

* every text cell is a shared string (`t="s"`); there is no way to write a formula, an error or
  a boolean cell, so a name like `=HYPERLINK(…)` can only ever be text. Text starting with a
  character the caller names (check/formulas.py: FORMULA_STARTS) also gets Excel's quote prefix, so it
  stays text after editing;
* whole numbers are number cells; empty text is no cell at all;
* column widths, rows frozen at the top, a row repeated on every printed page, a bold title and a
  bold centred header;
* no clock: the document's dates are given, the zip entries carry a fixed time and come in a
  fixed order, so the same rows make the same bytes.

Characters XML cannot carry (control characters other than tab, line feed and carriage return)
are written as Excel's `_xHHHH_` escapes, and a literal `_xHHHH_` in the text is escaped too.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Collection, Sequence

ZIP_TIME = (1980, 1, 1, 0, 0, 0)
# zlib's level for the parts. At 100,000 names (25.8 MB of XML) level 5 makes 3.50 MB in 0.25 s,
# the default 6 makes 3.45 MB in 0.38 s (the sheet itself is smaller at 5), 4 makes 3.62 MB in
# 0.19 s, 1 makes a fifth more; in the first process, before the pages it renders.
DEFLATE_LEVEL = 5
NORMAL, TITLE, HEADER = 0, 1, 2  # row styles (cellXfs below)
QUOTED = 3  # added to a style: the same with the quote prefix
_STYLE_ATTRIBUTE = ("", ' s="1"', ' s="2"', ' s="3"', ' s="4"', ' s="5"')

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_COLUMNS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")


def _escape(text: str) -> str:
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if _NOT_XML.search(text):
        text = _NOT_XML.sub(lambda m: f"_x{ord(m.group()):04X}_", text)
    return text


def _shared_strings(texts: list[str]) -> str:
    """The <si> entries of sharedStrings.xml, escaped all at once where one character that
    XML keeps as it is (and the data cannot hold: it refuses private-use characters) joins them."""
    joined = _JOIN.join(texts)
    if joined.count(_JOIN) == len(texts) - 1:  # no text holds the joining character itself
        escaped = _escape(joined).split(_JOIN)
    else:
        escaped = [_escape(t) for t in texts]
    return "".join([f'<si><t xml:space="preserve">{e}</t></si>' if t != t.strip() or "\n" in t or "\r" in t
                    else f"<si><t>{e}</t></si>" for t, e in zip(texts, escaped)])


_JOIN = "\ue000"


_STYLES = (
    f'{_XML}<styleSheet xmlns="{_MAIN}">'
    '<fonts count="3"><font><sz val="11"/><name val="宋体"/><family val="3"/><charset val="134"/></font>'
    '<font><b/><sz val="14"/><name val="宋体"/><family val="3"/><charset val="134"/></font>'
    '<font><b/><sz val="11"/><name val="宋体"/><family val="3"/><charset val="134"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="6">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">'
    '<alignment horizontal="center"/></xf>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" quotePrefix="1"/>'
    '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1" '
    'quotePrefix="1"><alignment horizontal="center"/></xf>'
    '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    '</styleSheet>')


def workbook(sheet: str, rows: Sequence[tuple[int, Sequence[str | int]]], widths: Sequence[float],
             frozen: int, print_titles: int, created: dt.datetime, creator: str,
             quoted: Collection[str]) -> bytes:
    """An XLSX file with one sheet named `sheet`: `rows` are (style, cells), a cell a str or int;
    `frozen` rows stay at the top, row `print_titles` is repeated on every printed page, and a
    text whose first character is in `quoted` gets the quote prefix."""
    strings: dict[str, int] = {}
    references = 0
    body: list[str] = []
    letters = _COLUMNS[:max((len(cells) for _, cells in rows), default=1)]
    for number, (style, cells) in enumerate(rows, start=1):
        out = [f'<row r="{number}">']
        for letter, value in zip(letters, cells):
            if isinstance(value, int):
                out.append(f'<c r="{letter}{number}"{_STYLE_ATTRIBUTE[style]}><v>{value}</v></c>')
                continue
            if not value:
                continue
            index = strings.get(value)
            if index is None:
                index = strings[value] = len(strings)
            references += 1
            shown = _STYLE_ATTRIBUTE[style + QUOTED if value[0] in quoted else style]
            out.append(f'<c r="{letter}{number}"{shown} t="s"><v>{index}</v></c>')
        out.append("</row>")
        body.append("".join(out))
    last = f"{letters[-1]}{max(len(rows), 1)}"
    pane = ""
    if frozen:
        pane = (f'<pane ySplit="{frozen}" topLeftCell="A{frozen + 1}" activePane="bottomLeft" state="frozen"/>'
                f'<selection pane="bottomLeft" activeCell="A{frozen + 1}" sqref="A{frozen + 1}"/>')
    cols = "".join(f'<col min="{i}" max="{i}" width="{w:g}" customWidth="1"/>'
                   for i, w in enumerate(widths, start=1))
    sheet_xml = (f'{_XML}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}"><dimension ref="A1:{last}"/>'
                 f'<sheetViews><sheetView workbookViewId="0">{pane}</sheetView></sheetViews>'
                 f'<sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols>'
                 f'<sheetData>{"".join(body)}</sheetData>'
                 '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
                 '</worksheet>')
    shared = (f'{_XML}<sst xmlns="{_MAIN}" count="{references}" uniqueCount="{len(strings)}">'
              + _shared_strings(list(strings)) + "</sst>")
    quoted_sheet = "'" + sheet.replace("'", "''") + "'"
    titles = (f'<definedNames><definedName name="_xlnm.Print_Titles" localSheetId="0">'
              f'{_escape(quoted_sheet)}!${print_titles}:${print_titles}</definedName></definedNames>'
              if print_titles else "")
    book = (f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><bookViews><workbookView/></bookViews>'
            f'<sheets><sheet name="{_escape(sheet)}" sheetId="1" r:id="rId1"/></sheets>{titles}</workbook>')
    moment = created.strftime("%Y-%m-%dT%H:%M:%SZ")
    parts = {
        "[Content_Types].xml": (
            f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            '<Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            '<Override PartName="/docProps/app.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>'),
        "_rels/.rels": (
            f'{_XML}<Relationships xmlns="{_PKG_REL}">'
            f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
            f'<Relationship Id="rId2" Type="{_PKG_REL}/metadata/core-properties" Target="docProps/core.xml"/>'
            f'<Relationship Id="rId3" Type="{_REL}/extended-properties" Target="docProps/app.xml"/>'
            '</Relationships>'),
        "docProps/app.xml": (
            f'{_XML}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            f'<Application>{_escape(creator)}</Application></Properties>'),
        "docProps/core.xml": (
            f'{_XML}<cp:coreProperties '
            'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f'<dc:creator>{_escape(creator)}</dc:creator><cp:lastModifiedBy>{_escape(creator)}</cp:lastModifiedBy>'
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{moment}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{moment}</dcterms:modified></cp:coreProperties>'),
        "xl/workbook.xml": book,
        "xl/_rels/workbook.xml.rels": (
            f'{_XML}<Relationships xmlns="{_PKG_REL}">'
            f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rId3" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
            '</Relationships>'),
        "xl/styles.xml": _STYLES,
        "xl/sharedStrings.xml": shared,
        "xl/worksheets/sheet1.xml": sheet_xml,
    }
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w") as archive:
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, text.encode("utf-8"), compresslevel=DEFLATE_LEVEL)
    return raw.getvalue()
