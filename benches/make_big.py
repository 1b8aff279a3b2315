#!/usr/bin/env python3
"""Generate large action plans for the memory benchmark (deterministic, no third-party modules).

    make_big.py text SIZE_MB OUT.txt     a tab-separated text plan of about SIZE_MB megabytes
    make_big.py xlsx ROWS OUT.xlsx       an .xlsx plan with ROWS action rows (shared strings)
    make_big.py repeated ROWS OUT.csv    a CSV whose header row repeats ROWS times before a short
                                         plan, and one stray row of 80,000 cells (the shape of a
                                         mutant that took over 20 s)
"""
import random
import sys
import zipfile
from xml.sax.saxutils import escape

VERBS = ["Develop", "Review", "Publish", "Extend", "Commission", "Train", "Identify", "Support",
         "Improve", "Promote", "Establish", "Monitor", "Increase", "Agree", "Deliver"]
OBJECTS = ["the carers' assessment process", "respite provision for young carers",
           "information and advice in GP practices", "a carers' passport scheme",
           "hospital discharge planning with carers", "training for frontline staff",
           "the local carers' centre offer", "peer support groups across the county",
           "short breaks for older carers", "a directory of local services"]
LEADS = ["Carers' Lead, County Council", "ICB Commissioning Manager", "Adult Social Care",
         "Carers Trust", "Public Health", "Hospital Discharge Team", "Young Carers Service"]
DUES = ["March 2026", "Q2 2025/26", "Ongoing", "December 2025", "2026/27", "Annually"]
EVID = ["Number of carers assessed each quarter", "Survey of carers shows improvement",
        "Scheme launched and reported to board", "Staff completing training", ""]


def row(rng, i):
    return [f"{i}.{rng.randint(1, 9)}",
            f"{rng.choice(VERBS)} {rng.choice(OBJECTS)} ({i})",
            rng.choice(LEADS), rng.choice(DUES), rng.choice(EVID),
            f"Outcome {rng.randint(1, 6)}"]


HEADER = ["Ref", "Action", "Lead", "By when", "Evidence of progress", "Outcome"]


def text(size_mb, out):
    rng = random.Random(14)
    limit = int(size_mb * 1_000_000)
    with open(out, "w", encoding="utf-8") as f:
        f.write("Carers Strategy\n\nAction plan\n\n" + "\t".join(HEADER) + "\n")
        n, i = 0, 1
        while n < limit:
            line = "\t".join(row(rng, i)) + "\n"
            f.write(line)
            n += len(line)
            i += 1


def col(c):
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[c]


def xlsx(rows, out):
    rng = random.Random(14)
    strings, index = [], {}

    def sid(s):
        if s not in index:
            index[s] = len(strings)
            strings.append(s)
        return index[s]

    sheet = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>']
    for r in range(rows + 1):
        cells = HEADER if r == 0 else row(rng, r)
        sheet.append(f'<row r="{r + 1}">')
        for c, v in enumerate(cells):
            sheet.append(f'<c r="{col(c)}{r + 1}" t="s"><v>{sid(v)}</v></c>')
        sheet.append("</row>")
    sheet.append("</sheetData></worksheet>")
    sst = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{len(strings)}" uniqueCount="{len(strings)}">']
    sst += [f"<si><t>{escape(s)}</t></si>" for s in strings]
    sst.append("</sst>")
    ns = "http://schemas.openxmlformats.org"
    files = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        '</Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Relationships xmlns="{ns}/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        '</Relationships>',
        "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<workbook xmlns="{ns}/spreadsheetml/2006/main" xmlns:r="{ns}/officeDocument/2006/relationships">'
        '<sheets><sheet name="Action plan" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Relationships xmlns="{ns}/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{ns}/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
        '</Relationships>',
        "xl/worksheets/sheet1.xml": "".join(sheet),
        "xl/sharedStrings.xml": "".join(sst),
    }
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)


def repeated(rows, out):
    rng = random.Random(14)
    with open(out, "w", encoding="utf-8") as f:
        f.write("Carers Action Plan\n")
        f.write((";".join(HEADER) + "\n") * rows)
        for i in range(1, 6):
            f.write(";".join(row(rng, i)) + "\n")
        f.write("9;" + ";stray" * 80000 + "\n")


if __name__ == "__main__":
    kind, n, out = sys.argv[1], sys.argv[2], sys.argv[3]
    if kind == "text":
        text(float(n), out)
    elif kind == "xlsx":
        xlsx(int(n), out)
    elif kind == "repeated":
        repeated(int(n), out)
    else:
        sys.exit(__doc__)
