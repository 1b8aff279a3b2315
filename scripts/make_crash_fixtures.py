#!/usr/bin/env python3
"""Generate the inputs that crash (or used to crash) a parser: fixtures/bad/crash/ (deterministic,
Python 3 only; the .xls files are made from fixtures/office/plan.xls).

    python3 scripts/make_crash_fixtures.py

What each file does is in fixtures/bad/README.md ("Crashes"); tests/crashproof.rs runs them.
"""
import os
import struct
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(ROOT, "fixtures", "bad", "crash")


def pdf(objs, root=1):
    """A PDF with the given objects (numbered from 1) and a correct xref table."""
    out = bytearray(b"%PDF-1.4\n")
    offs = []
    for i, o in enumerate(objs):
        offs.append(len(out))
        out += b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n"
    x = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for o in offs:
        out += b"%010d 00000 n \n" % o
    out += b"trailer << /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, root, x)
    return bytes(out)


def stream(dict_body, data):
    return b"<< " + dict_body + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
TEXT = b"BT /F1 12 Tf 72 720 Td (Action plan) Tj ET BT /F1 10 Tf 72 700 Td (Action    Lead    By when) Tj ET"


def page(resources, contents=4):
    return (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> "
            + resources + b" >> /Contents %d 0 R >>" % contents)


def deep_forms(depth):
    """Form XObject 1 draws form 2, which draws form 3, ... `depth` levels: no loop, but deeper
    than any parser's stack (pdf-extract recurses once per level)."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            page(b"/XObject << /X 6 0 R >>"), stream(b"", TEXT + b" /X Do"), FONT]
    for i in range(depth):
        last = i == depth - 1
        res = b"" if last else b"/XObject << /X %d 0 R >>" % (7 + i)
        objs.append(stream(b"/Subtype /Form /BBox [0 0 9 9] /Resources << " + res + b" >>",
                           b"" if last else b"/X Do"))
    return pdf(objs)


def form_draws_itself():
    """A Form XObject whose content draws itself (pdf-extract recursed until the stack overflowed)."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            page(b"/XObject << /X 6 0 R >>"), stream(b"", TEXT + b" /X Do"), FONT,
            stream(b"/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> /XObject << /X 6 0 R >> >>",
                   b"BT /F1 12 Tf 72 600 Td (Lead) Tj ET /X Do")]
    return pdf(objs)


def forms_draw_each_other():
    """Form A draws form B, which draws form A."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            page(b"/XObject << /A 6 0 R >>"), stream(b"", TEXT + b" /A Do"), FONT,
            stream(b"/Subtype /Form /BBox [0 0 9 9] /Resources << /XObject << /B 7 0 R >> >>", b"/B Do"),
            stream(b"/Subtype /Form /BBox [0 0 9 9] /Resources << /XObject << /A 6 0 R >> >>", b"/A Do")]
    return pdf(objs)


def page_tree_loop():
    """The page tree's root lists itself among its kids, and a page's /Parent chain loops."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R 2 0 R 6 0 R] /Count 3 >>",
            page(b""), stream(b"", TEXT), FONT,
            b"<< /Type /Pages /Parent 6 0 R /Kids [6 0 R 3 0 R] /Count 1 >>"]
    return pdf(objs)


def xls_patch(patches):
    """plan.xls with bytes replaced: {offset: bytes}; negative offsets are relative to a record."""
    b = bytearray(open(os.path.join(ROOT, "fixtures", "office", "plan.xls"), "rb").read())
    for off, val in patches.items():
        b[off:off + len(val)] = val
    return bytes(b)


def xls_dimensions_bomb():
    """The worksheet's DIMENSIONS record claims 2^31 rows x 255 columns: calamine reserves room for
    every cell up front (22 TB)."""
    b = bytearray(open(os.path.join(ROOT, "fixtures", "office", "plan.xls"), "rb").read())
    at = b.find(b"\x00\x02\x0e\x00")  # record 0x0200, 14 bytes (BIFF8)
    if at < 0:
        sys.exit("no DIMENSIONS record in plan.xls")
    d = at + 4
    b[d:d + 12] = struct.pack("<IIHH", 0, 0x7FFFFFFF, 0, 0xFF)
    return bytes(b)


def xls_header_bomb():
    """The compound-file header's directory sector count is 2^32-1: calamine pre-allocates
    count x sector size (2 TB) before reading a byte of it."""
    return xls_patch({0x28: b"\xff\xff\xff\xff"})


def xls_fat_count_bomb():
    """The header's FAT sector count is 2^32-1 (calamine reserves 16 GB of u32 for it)."""
    return xls_patch({0x2C: b"\xff\xff\xff\xff"})


FILES = {
    "deep-forms.pdf": lambda: deep_forms(2000),
    "form-draws-itself.pdf": form_draws_itself,
    "forms-draw-each-other.pdf": forms_draw_each_other,
    "page-tree-loop.pdf": page_tree_loop,
    "xls-dimensions-22tb.xls": xls_dimensions_bomb,
    "xls-dir-sectors-2tb.xls": xls_header_bomb,
    "xls-fat-sectors-16gb.xls": xls_fat_count_bomb,
}

if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    for name, make in FILES.items():
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(make())
        print(name)
