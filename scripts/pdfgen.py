#!/usr/bin/env python3
"""Generate PDF action plans drawn in the many ways producers draw them (pure Python, no
dependencies, deterministic). Used by benches/make_plan_pdf.py (long plans for speed and memory)
and fixtures/pdf/make_special.py (test fixtures).

A plan is a ruled five-column table (No. / Action / Lead / By when / How we will know) running
over the pages with its header row repeated, a running header and a "Page N of M" footer; rows
wrap inside their cells and may be split by page breaks. `write_pdf` draws the pages:

- ``glyphs="runs"``: one text-show operator per cell line (the usual way);
- ``glyphs="shuffled"``: every glyph on its own, positioned absolutely, in random order;
- ``one_page=True``: all pages stacked on one tall page; a plan made with a tall ``height``
  and drawn with the same ``height`` is one giant page with the table running down it;
- ``tiles=k``: each page's content drawn k times, each copy clipped to a k-th of the page;
- ``word_shading(pages)``: header cells shaded as Word shades them (cell, paragraph and line
  boxes of one colour, nested);
- ``rotate=q``: the content is drawn turned by q quarter turns on a page whose /Rotate turns it
  back upright (``compensate=True``) or leaves it sideways (``compensate=False``).
"""
import random
import zlib

W, H = 595.0, 842.0
MARGIN = 50.0
COLS = [("No.", 30), ("Action", 170), ("Lead", 90), ("By when", 70), ("How we will know", 135)]
SIZE = 9.0
LEAD = 11.0

# Helvetica widths (1/1000 em) for the characters used; others count as 556.
WIDTHS = {" ": 278, ",": 278, ".": 278, "-": 333, "(": 333, ")": 333, "/": 278, "'": 191,
          ";": 278, ":": 278, "i": 222, "j": 222, "l": 222, "f": 278, "t": 278, "r": 333,
          "I": 278, "J": 500, "m": 833, "w": 722, "M": 833, "W": 944, "c": 500, "k": 500,
          "s": 500, "v": 500, "x": 500, "y": 500, "z": 500, "N": 722, "B": 667, "H": 722}


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


def plan(npages, seed=12, height=H, actions=None):
    """The plan's pages: each a list of ("text", x, y, s, size, bold) and ("line", x0, y0, x1, y1)
    items in PDF user space (y up), on pages `height` tall; and the number of rows begun (the
    last may be cut short by the end of the last page).
    `actions`: stop after this many rows."""
    rnd = random.Random(seed)
    pages = []
    row_no = 0
    pending = None
    for p in range(1, npages + 1):
        items = [("text", MARGIN, height - 30, "Ashby Vale Carers Strategy 2025-2030: Delivery Plan", 8, False),
                 ("text", W / 2 - 30, 25, f"Page {p} of {npages}", 8, False)]
        y = height - 60
        if p % 10 == 1 and pending is None:
            sec = (p // 10) + 1
            items.append(("text", MARGIN, y, f"Section {sec}: Supporting carers in locality {sec}", 14, True))
            y -= 20
            for line in wrap("This section sets out what partners will do for unpaid carers in the "
                             "locality over the life of the strategy, who leads each action and how "
                             "we will know it has been done.", W - 2 * MARGIN):
                items.append(("text", MARGIN, y, line, 10, False))
                y -= 13
            y -= 10
        xs = [MARGIN]
        for _, cw in COLS:
            xs.append(xs[-1] + cw)
        top = y
        rows_y = [y]
        for (h, _), x in zip(COLS, xs):
            items.append(("text", x + 3, y - 11, h, SIZE, True))
        y -= 16
        rows_y.append(y)
        while True:
            if pending is None:
                if actions is not None and row_no >= actions:
                    break
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
                    items.append(("text", x + 3, y - 11 - k * LEAD, line, SIZE, False))
            y -= take * LEAD + 6
            rows_y.append(y)
            rest = [c[take:] for c in pending]
            pending = rest if any(rest) else None
            if pending is not None:
                break
        for ry in rows_y:
            items.append(("line", xs[0], ry, xs[-1], ry))
        for x in xs:
            items.append(("line", x, top, x, rows_y[-1]))
        pages.append(items)
    return pages, row_no


def esc(s):
    return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def content(items, glyphs="runs", rnd=None, dy=0.0):
    """Content-stream operators for a page's items (shifted up by `dy`)."""
    text_ops, line_ops, fill_ops = [], [], []
    for it in items:
        if it[0] == "fill":
            _, x0, y0, x1, y1, grey = it
            fill_ops.append(f"{grey:.2f} g {x0:.2f} {y0 + dy:.2f} {x1 - x0:.2f} {y1 - y0:.2f} re f")
            continue
        if it[0] == "line":
            _, x0, y0, x1, y1 = it
            line_ops.append(f"{x0:.2f} {y0 + dy:.2f} m {x1:.2f} {y1 + dy:.2f} l S")
            continue
        _, x, y, s, size, bold = it
        font = "F2" if bold else "F1"
        if glyphs == "shuffled":
            cx = x
            for c in s:
                if c != " ":
                    text_ops.append(f"BT /{font} {size:.1f} Tf 1 0 0 1 {cx:.3f} {y + dy:.3f} Tm ({esc(c)}) Tj ET")
                cx += width(c, size)
        else:
            text_ops.append(f"BT /{font} {size:.1f} Tf {x:.2f} {y + dy:.2f} Td ({esc(s)}) Tj ET")
    if glyphs == "shuffled":
        (rnd or random.Random(7)).shuffle(text_ops)
    return fill_ops + ["0 g 0.5 w"] + line_ops + text_ops


def word_shading(pages, grey=0.85):
    """The pages with their header rows shaded as Word draws cell shading: the cell, the
    paragraph inside its padding, and each word's line, three boxes of one colour."""
    xs = [MARGIN]
    for _, cw in COLS:
        xs.append(xs[-1] + cw)
    out = []
    for items in pages:
        fills = []
        for it in items:
            if it[0] == "text" and it[5] and it[4] == SIZE and it[3] in [h for h, _ in COLS]:
                _, x, ty, h, _, _ = it
                k = [c for c, _ in COLS].index(h)
                top, bottom = ty + 11, ty - 5
                fills.append(("fill", xs[k], bottom, xs[k + 1], top, grey))
                fills.append(("fill", xs[k] + 1.5, bottom + 1, xs[k + 1] - 1.5, top - 1, grey))
                fills.append(("fill", x, ty - 2, x + width(h), ty + SIZE, grey))
        out.append(fills + items)
    return out


def write_pdf(pages, glyphs="runs", one_page=False, tiles=1, rotate=0, compensate=True, seed=7,
              page_rotate=None, height=H):
    """The PDF file's bytes. `page_rotate`: {page index: /Rotate} set on pages whose content is
    drawn as usual (they display sideways or upside down)."""
    rnd = random.Random(seed)
    streams = []  # (ops text, width, height, /Rotate)
    if one_page:
        n = len(pages)
        ops = []
        for i, items in enumerate(pages):
            ops += content(items, glyphs, rnd, dy=(n - 1 - i) * height)
        streams.append(("\n".join(ops), W, height * n, 0))
    else:
        for items in pages:
            ops = content(items, glyphs, rnd)
            if tiles > 1:
                band = H / tiles
                tiled = []
                for k in range(tiles):
                    tiled.append(f"q 0 {k * band:.2f} {W:.2f} {band:.2f} re W n")
                    tiled += ops
                    tiled.append("Q")
                ops = tiled
            w, h, rot = W, height, 0
            q = rotate % 4
            if q:
                # Draw the upright page turned clockwise by q quarter turns.
                m = {1: f"0 -1 1 0 0 {W:.2f}", 2: f"-1 0 0 -1 {W:.2f} {H:.2f}", 3: f"0 1 -1 0 {H:.2f} 0"}[q]
                ops = [f"q {m} cm"] + ops + ["Q"]
                if q % 2:
                    w, h = H, W
                rot = (4 - q) * 90 % 360 if compensate else 0
            streams.append(("\n".join(ops), w, h, rot))
    objs = []

    def add(o):
        objs.append(o)
        return len(objs)

    f1 = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    f2 = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
    cids = []
    for ops, _, _, _ in streams:
        z = zlib.compress(ops.encode("latin-1"))
        cids.append(add(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(z) + z + b"\nendstream"))
    pages_id = len(objs) + len(streams) + 1
    kids = []
    for i, (cid, (_, w, h, rot)) in enumerate(zip(cids, streams)):
        rot = (page_rotate or {}).get(i, rot)
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %.2f %.2f] /Rotate %d /Contents %d 0 R "
                        b"/Resources << /Font << /F1 %d 0 R /F2 %d 0 R >> >> >>"
                        % (pages_id, w, h, rot, cid, f1, f2)))
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
    return bytes(out)


def raw_pdf(objects, root):
    """A PDF from object bodies (numbered from 1) and the catalog's number."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offs = []
    for i, o in enumerate(objects):
        offs.append(len(out))
        out += b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n"
    x = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for o in offs:
        out += b"%010d 00000 n \n" % o
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, x)
    return bytes(out)


def cjk_pdf(lines, vertical=False):
    """A page of Japanese text in a non-embedded CID font with a predefined Unicode encoding
    (UniJIS-UCS2-H, or -V written top to bottom in columns from the right) and no ToUnicode."""
    enc = b"UniJIS-UCS2-V" if vertical else b"UniJIS-UCS2-H"
    ops = []
    for i, t in enumerate(lines):
        hexs = "".join(f"{ord(c):04X}" for c in t).encode()
        if vertical:
            ops.append(b"BT /F1 14 Tf %d 780 Td <%s> Tj ET" % (540 - 30 * i, hexs))
        else:
            ops.append(b"BT /F1 14 Tf 60 %d Td <%s> Tj ET" % (780 - 24 * i, hexs))
    stream = b"\n".join(ops)
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /HeiseiMin-W3 /Encoding /" + enc
        + b" /DescendantFonts [6 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /HeiseiMin-W3 /CIDSystemInfo "
        b"<< /Registry (Adobe) /Ordering (Japan1) /Supplement 2 >> /FontDescriptor 7 0 R "
        b"/DW 1000 /DW2 [880 -1000] >>",
        b"<< /Type /FontDescriptor /FontName /HeiseiMin-W3 /Flags 6 /FontBBox [0 -141 1000 859] "
        b"/ItalicAngle 0 /Ascent 859 /Descent -141 /CapHeight 709 /StemV 69 >>",
    ]
    return raw_pdf(objs, 1)
