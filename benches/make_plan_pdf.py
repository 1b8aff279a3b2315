#!/usr/bin/env python3
"""Write a long PDF action plan for benchmarks: `make_plan_pdf.py OUT.pdf [PAGES]` (default 1000).

Pure Python (no dependencies), deterministic. Each page has a running header and a
"Page N of M" footer; a ruled five-column action table (No. / Action / Lead / By when / How we
will know) runs over all pages with its header row repeated, rows wrap inside their cells and
some rows are split by page breaks; every tenth page starts a new section with a heading and a
paragraph. Text is Helvetica (WinAnsiEncoding), content streams are Flate-compressed.
"""
import random
import sys
import zlib

OUT = sys.argv[1] if len(sys.argv) > 1 else "plan.pdf"
PAGES = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
W, H = 595.0, 842.0
MARGIN = 50.0
COLS = [("No.", 30), ("Action", 170), ("Lead", 90), ("By when", 70), ("How we will know", 135)]
SIZE = 9.0
LEAD = 11.0

# Helvetica widths (1/1000 em) for the characters used; others count as 556.
WIDTHS = {" ": 278, ",": 278, ".": 278, "-": 333, "(": 333, ")": 333, "/": 278, "'": 191,
          "i": 222, "j": 222, "l": 222, "f": 278, "t": 278, "r": 333, "I": 278, "J": 500,
          "m": 833, "w": 722, "M": 833, "W": 944, "c": 500, "k": 500, "s": 500, "v": 500,
          "x": 500, "y": 500, "z": 500, "0": 556, "1": 556}


def width(s, size=SIZE):
    return sum(WIDTHS.get(c, 556) for c in s) * size / 1000.0


def wrap(text, w):
    lines, cur = [], ""
    for word in text.split():
        t = (cur + " " + word).strip()
        if width(t) <= w - 6:
            cur = t
        else:
            if cur:
                lines.append(cur)
            cur = word
    if cur:
        lines.append(cur)
    return lines or [""]


rnd = random.Random(12)
VERBS = ["Review", "Extend", "Publish", "Agree", "Train", "Map", "Fund", "Pilot", "Survey", "Promote"]
OBJS = ["the carers register with every GP surgery", "a short breaks offer for young carers",
        "carers assessments in hospital discharge", "an emergency card scheme for carers",
        "information packs in community languages", "peer support groups in each locality",
        "the carers strategy delivery group terms", "training for front line social care staff"]
LEADS = ["Adult Social Care", "Carers Centre", "NHS Trust", "Public Health", "Children's Services",
         "Housing Team", "Libraries Service"]
WHEN = ["March 2026", "Ongoing", "Quarterly", "June 2027", "Annually", "December 2026"]
EVID = ["Number of carers supported rises each year", "Report to the partnership board",
        "Survey of carers shows improvement", "Scheme launched and in use",
        "Attendance figures collected each quarter"]


def esc(s):
    return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def text(ops, x, y, s, size=SIZE, font="F1"):
    ops.append(f"BT /{font} {size:.1f} Tf {x:.2f} {y:.2f} Td ({esc(s)}) Tj ET")


pages = []
row_no = 0
pending = None  # remaining lines of a row split by the page break
for p in range(1, PAGES + 1):
    ops = ["0 g 0.5 w"]
    text(ops, MARGIN, H - 30, "Ashby Vale Carers Strategy 2025-2030: Delivery Plan", 8)
    text(ops, W / 2 - 30, 25, f"Page {p} of {PAGES}", 8)
    y = H - 60
    if p % 10 == 1 and pending is None:
        sec = (p // 10) + 1
        text(ops, MARGIN, y, f"Section {sec}: Supporting carers in locality {sec}", 14, "F2")
        y -= 20
        for line in wrap("This section sets out what partners will do for unpaid carers in the "
                         "locality over the life of the strategy, who leads each action and how we "
                         "will know it has been done.", W - 2 * MARGIN):
            text(ops, MARGIN, y, line, 10)
            y -= 13
        y -= 10
    # Header row.
    xs = [MARGIN]
    for _, cw in COLS:
        xs.append(xs[-1] + cw)
    top = y
    rows_y = [y]
    for (h, _), x in zip(COLS, xs):
        text(ops, x + 3, y - 11, h, SIZE, "F2")
    y -= 16
    rows_y.append(y)
    while True:
        if pending is None:
            row_no += 1
            cells = [str(row_no),
                     f"{rnd.choice(VERBS)} {rnd.choice(OBJS)} in locality {row_no % 97 + 1}, "
                     f"working with {rnd.choice(LEADS).lower()} and carers' groups, and report "
                     f"progress to the board (action {row_no})",
                     rnd.choice(LEADS) + (" with " + rnd.choice(LEADS) if row_no % 3 == 0 else ""),
                     rnd.choice(WHEN),
                     rnd.choice(EVID) + "; " + rnd.choice(EVID).lower()]
            pending = [wrap(c, cw) for c, (_, cw) in zip(cells, COLS)]
        n = max(len(c) for c in pending)
        room = int((y - 45 - 6) // LEAD)
        if room <= 0:
            break
        take = min(n, room)
        for c, x in zip(pending, xs):
            for k, line in enumerate(c[:take]):
                text(ops, x + 3, y - 11 - k * LEAD, line)
        y -= take * LEAD + 6
        rows_y.append(y)
        rest = [c[take:] for c in pending]
        pending = rest if any(rest) else None
        if pending is not None:
            break
    # Rules.
    for ry in rows_y:
        ops.append(f"{xs[0]:.2f} {ry:.2f} m {xs[-1]:.2f} {ry:.2f} l S")
    for x in xs:
        ops.append(f"{x:.2f} {top:.2f} m {x:.2f} {rows_y[-1]:.2f} l S")
    pages.append("\n".join(ops).encode("latin-1"))

objs = []


def add(o):
    objs.append(o)
    return len(objs)


font1 = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
font2 = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
pages_id = len(objs) + 1 + 2 * len(pages) + 1  # placeholder, fixed below
kids = []
content_ids = []
for c in pages:
    z = zlib.compress(c)
    content_ids.append(add(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(z) + z + b"\nendstream"))
pages_id = len(objs) + len(pages) + 1
for cid in content_ids:
    kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                    b"/Resources << /Font << /F1 %d 0 R /F2 %d 0 R >> >> >>"
                    % (pages_id, cid, font1, font2)))
assert add(b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % k for k in kids)
           + b"] /Count %d >>" % len(kids)) == pages_id
info = add(b"<< /Title (Ashby Vale Carers Strategy: Delivery Plan) >>")
catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)

out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
offs = []
for i, o in enumerate(objs):
    offs.append(len(out))
    out += b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n"
x = len(out)
out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
for o in offs:
    out += b"%010d 00000 n \n" % o
out += b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
    len(objs) + 1, catalog, info, x)
open(OUT, "wb").write(out)
print(f"{OUT}: {len(pages)} pages, {row_no - (pending is not None)} actions, {len(out)} bytes")
