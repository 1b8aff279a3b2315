#!/usr/bin/env python3
"""Generate the hostile-input corpus in fixtures/bad/ (deterministic; needs only Python 3, and
qpdf for the two encrypted PDFs, which are skipped without it).

    python3 scripts/make_bad_fixtures.py            # small files, committed
    python3 scripts/make_bad_fixtures.py --large DIR  # also the big ones, into DIR (not committed)

The big inputs (500-page PDF, 100k-row spreadsheet, 10 MB line, 1 GiB zip bomb) are made by
tests/bad_input.rs itself at run time or by --large; fixtures/bad/README.md lists every file and
what the tool must do with it.
"""
import io, os, random, shutil, subprocess, sys, zipfile, zlib

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "bad")
RNG = random.Random(7)


def zi(name):
    """A zip entry with a fixed date, so the files are the same on every run."""
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def put(name, data, out=HERE):
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)


def pdf(pages_text, image_only=False):
    """A minimal valid PDF; one page per entry of pages_text."""
    objs = []  # (number, bytes)
    n_pages = len(pages_text)
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(n_pages))
    objs.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objs.append(f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode())
    font_no = 3 + 2 * n_pages
    img_no = font_no + 1
    for i, text in enumerate(pages_text):
        res = f"/XObject << /Im0 {img_no} 0 R >>" if image_only else f"/Font << /F1 {font_no} 0 R >>"
        objs.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << {res} >> /Contents {4 + 2 * i} 0 R >>".encode())
        if image_only:
            stream = b"q 500 0 0 700 40 60 cm /Im0 Do Q"
        else:
            lines = []
            y = 780
            for line in text.split("\n"):
                # Cells are separated by runs of 4 spaces; each is placed at its column.
                for col, cell in enumerate(line.split("    ")):
                    esc = cell.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
                    lines.append(f"BT /F1 11 Tf {[50, 300, 440][min(col, 2)]} {y} Td ({esc}) Tj ET".encode("latin-1"))
                y -= 16
            stream = b"\n".join(lines)
        objs.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    objs.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    pixels = bytes(RNG.getrandbits(8) for _ in range(64 * 64))
    img = zlib.compress(pixels)
    objs.append(b"<< /Type /XObject /Subtype /Image /Width 64 /Height 64 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n" % len(img) + img + b"\nendstream")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % (i + 1) + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1))
    for o in offsets:
        out.write(b"%010d 00000 n \n" % o)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref))
    return out.getvalue()


PLAN = "\n".join(["Carers action plan", "Action    Lead    By when", "Fund a carers centre    ICB    March 2026", "Train staff in carer awareness    Council    April 2027", "Publish a carers guide    Carers Trust    June 2026", "Review respite provision    ICB    December 2026", "Set up a carers forum    Council    Ongoing"])

DOC_XML = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"""


def cell(t):
    return f"<w:tc><w:p><w:r><w:t>{t}</w:t></w:r></w:p></w:tc>"


def table(rows):
    return "<w:tbl>" + "".join("<w:tr>" + "".join(cell(c) for c in r) + "</w:tr>" for r in rows) + "</w:tbl>"


PLAN_TABLE = table([["Action", "Lead", "By when"], ["Fund a carers centre", "ICB", "March 2026"], ["Train staff", "Council", "April 2027"]])


def docx(document_xml, compress=zipfile.ZIP_DEFLATED):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", compress) as z:
        z.writestr(zi("[Content_Types].xml"), '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        z.writestr(zi("_rels/.rels"), '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
        z.writestr(zi("word/document.xml"), document_xml)
    return b.getvalue()


def xlsx(sheet_xml):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zi("[Content_Types].xml"), '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
        z.writestr(zi("_rels/.rels"), '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr(zi("xl/workbook.xml"), '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Plan" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr(zi("xl/_rels/workbook.xml.rels"), '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
        z.writestr(zi("xl/worksheets/sheet1.xml"), sheet_xml)
    return b.getvalue()


def sheet_rows(rows):
    out = []
    for r, row in enumerate(rows, 1):
        cells = "".join(f'<c r="{chr(65 + c)}{r}" t="inlineStr"><is><t>{v}</t></is></c>' for c, v in enumerate(row))
        out.append(f'<row r="{r}">{cells}</row>')
    return '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' + "".join(out) + "</sheetData></worksheet>"


def bomb(kind, expanded):
    """A zip whose one XML part inflates to `expanded` bytes of spaces inside valid-looking XML."""
    b = io.BytesIO()
    part = "word/document.xml" if kind == "docx" else "xl/worksheets/sheet1.xml"
    head = b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr(zi("[Content_Types].xml"), "<Types/>")
        with z.open(zi(part), "w", force_zip64=True) as f:
            f.write(head)
            chunk = b" " * (1 << 20)
            for _ in range(expanded >> 20):
                f.write(chunk)
            f.write(b"</w:body></w:document>")
        if kind == "xlsx":
            z.writestr(zi("xl/workbook.xml"), "<workbook/>")
    return b.getvalue()


def odt(content_body, compress=zipfile.ZIP_DEFLATED, prolog="", manifest_extra=""):
    """A minimal OpenDocument text: the mimetype entry first and stored, then content.xml."""
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w") as z:
        m = zipfile.ZipInfo("mimetype", date_time=(1980, 1, 1, 0, 0, 0))
        m.compress_type = zipfile.ZIP_STORED
        z.writestr(m, "application/vnd.oasis.opendocument.text")
        z.writestr(zi("META-INF/manifest.xml"), '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">' + manifest_extra + "</manifest:file-entry></manifest:manifest>")
        info = zi("content.xml")
        info.compress_type = compress
        z.writestr(info, (prolog or '<?xml version="1.0" encoding="UTF-8"?>\n') + '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"><office:body><office:text>' + content_body + "</office:text></office:body></office:document-content>")
    return b.getvalue()


def odt_table(rows):
    cell = lambda t: f"<table:table-cell><text:p>{t}</text:p></table:table-cell>"
    return "<table:table>" + "".join("<table:table-row>" + "".join(cell(c) for c in r) + "</table:table-row>" for r in rows) + "</table:table>"


def odt_bomb(expanded):
    """An ODT whose content.xml inflates to `expanded` bytes (spaces inside the body)."""
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        m = zipfile.ZipInfo("mimetype", date_time=(1980, 1, 1, 0, 0, 0))
        m.compress_type = zipfile.ZIP_STORED
        z.writestr(m, "application/vnd.oasis.opendocument.text")
        with z.open(zi("content.xml"), "w", force_zip64=True) as f:
            f.write(b"<office:document-content><office:body><office:text><text:p>")
            chunk = b" " * (1 << 20)
            for _ in range(expanded >> 20):
                f.write(chunk)
            f.write(b"</text:p></office:text></office:body></office:document-content>")
    return b.getvalue()


def rtf_table(rows):
    out = ["{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0 Arial;}}\n"]
    for r in rows:
        out.append("\\trowd" + "".join(f"\\cellx{2000 * (i + 1)}" for i in range(len(r))) + "\n")
        out.append("\\pard\\intbl " + "".join(f"{c}\\cell " for c in r) + "\\row\n")
    out.append("\\pard\\par}")
    return "".join(out).encode("cp1252")


def word_fib_at(doc):
    """Offset of the WordDocument stream's FIB in a .doc file (it starts on a sector)."""
    for i in range(512, len(doc) - 4, 512):
        if doc[i:i + 2] == b"\xec\xa5" and int.from_bytes(doc[i + 2:i + 4], "little") >= 0xC1:
            return i
    raise SystemExit("no Word FIB found in plan.doc")


def main():
    os.makedirs(HERE, exist_ok=True)
    # Empty and random bytes under every extension.
    for ext in ["txt", "pdf", "docx", "xlsx"]:
        put(f"empty.{ext}", b"")
    for ext in ["txt", "md", "pdf", "docx", "xlsx", "xls", "ods", "html", "bin"]:
        put(f"random.{ext}", bytes(RNG.getrandbits(8) for _ in range(4096)))
    # Truncated and broken containers.
    good_pdf = pdf([PLAN])
    put("good.pdf", good_pdf)
    put("truncated.pdf", good_pdf[: len(good_pdf) // 2])
    good_docx = docx(DOC_XML.format(body=PLAN_TABLE))
    put("good.docx", good_docx)
    put("truncated.docx", good_docx[: len(good_docx) // 2])
    good_xlsx = xlsx(sheet_rows([["Action", "Lead", "By when"], ["Fund a carers centre", "ICB", "March 2026"]]))
    put("good.xlsx", good_xlsx)
    put("truncated.xlsx", good_xlsx[: len(good_xlsx) // 2])
    i = good_pdf.rindex(b"xref")
    broken = good_pdf[:i] + good_pdf[i:].replace(b" 00000 n ", b" 00000 x ").replace(b"0000000009", b"0000099999")
    put("broken-xref.pdf", broken)
    j = good_pdf.rindex(b"startxref")
    put("no-xref.pdf", good_pdf[: good_pdf.rindex(b"xref", 0, j)] + b"trailer\n<< /Root 1 0 R >>\n%%EOF\n")
    put("scanned.pdf", pdf(["", ""], image_only=True))
    # Encrypted: a user password (cannot be opened) and owner-only restrictions (can).
    if shutil.which("qpdf"):
        src = os.path.join(HERE, "good.pdf")
        subprocess.run(["qpdf", "--static-id", "--encrypt", "secret", "owner", "256", "--", src, os.path.join(HERE, "encrypted-user.pdf")], check=True)
        subprocess.run(["qpdf", "--static-id", "--encrypt", "", "owner", "256", "--print=none", "--modify=none", "--extract=n", "--", src, os.path.join(HERE, "encrypted-owner-only.pdf")], check=True)
    # Renamed files: content wins over the name.
    put("pdf-named.docx", good_pdf)
    put("docx-named.pdf", good_docx)
    put("xlsx-named.docx", good_xlsx)
    # Zip bombs: small files, 64 MiB of XML each (tests lower --max-decompressed-size; the
    # 1 GiB version comes from --large).
    put("bomb.docx", bomb("docx", 64 << 20))
    put("bomb.xlsx", bomb("xlsx", 64 << 20))
    # XML entity attacks.
    laughs = '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n' + "".join(
        f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">\n' for i in range(1, 10)) + "]>\n"
    laughs = laughs.replace("&lol0;", "&lol;")
    put("billion-laughs.docx", docx(laughs + DOC_XML.split("\n", 1)[1].format(body=table([["Action", "Lead"], ["&lol9;", "ICB"]]))))
    put("billion-laughs.xlsx", xlsx(laughs + sheet_rows([["Action", "Lead"], ["&lol9;", "ICB"]]).split("?>", 1)[1]))
    put("billion-laughs.html", (laughs + "<html><body><table><tr><th>Action</th><th>Lead</th></tr><tr><td>&lol9;</td><td>ICB</td></tr></table></body></html>").encode())
    xxe = '<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd"><!ENTITY web SYSTEM "http://127.0.0.1:9/x">]>\n'
    put("external-entity.docx", docx(xxe + DOC_XML.split("\n", 1)[1].format(body=table([["Action", "Lead", "By when"], ["&xxe;&web;", "ICB", "March 2026"], ["Train staff", "Council", "April 2027"]]))))
    put("external-entity.xlsx", xlsx(xxe + sheet_rows([["Action", "Lead", "By when"], ["&xxe;&web;", "ICB", "March 2026"]]).split("?>", 1)[1]))
    # Deeply nested tables.
    depth = 5000
    nested = ("<w:tbl><w:tr><w:tc>" * depth) + "<w:p><w:r><w:t>deep</w:t></w:r></w:p>" + ("</w:tc></w:tr></w:tbl>" * depth)
    put("nested-tables.docx", docx(DOC_XML.format(body=nested)))
    # Tables that multiply their input (found by scripts/mutate.py): a row of 20,000 cells, and
    # spans that would fill 160 million cells from 60 KB; both are refused at the cell limits.
    plan_table = "<table><tr><th>Action<th>Lead<th>By when<tr><td>Train staff<td>Carers Centre<td>March 2025</table>"
    put("html-wide-row.html", ("<html><body>" + plan_table + "<table><tr>" + "<td>x" * 20000 + "</table></body></html>").encode())
    put("html-span-bomb.html", ("<html><body>" + plan_table + "<table><tr>" + '<td rowspan="0" colspan="1000">x' * 16 + "<tr><td>y" * 10000 + "</table></body></html>").encode())
    put("nested-tables.html", ("<html><body>" + "<table><tr><td>" * depth + "deep" + "</td></tr></table>" * depth + "</body></html>").encode())
    # Text: NUL bytes, invalid UTF-8, UTF-16 without BOM, long lines.
    plan_tab = "Action plan\nAction\tLead\tBy when\nFund a carers centre\tICB\tMarch 2026\nTrain staff\tCouncil\tApril 2027\n"
    put("nul-bytes.txt", plan_tab.replace("centre", "cen\0tre").encode())
    put("all-nul.txt", b"\0" * 4096)
    put("invalid-utf8.txt", plan_tab.encode().replace(b"centre", b"cen\xff\xfetre\xc3"))
    put("utf16le-no-bom.txt", plan_tab.encode("utf-16-le"))
    put("utf16be-no-bom.txt", plan_tab.encode("utf-16-be"))
    # ODT, RTF, CSV, DOC (issue 15); their own random stream, so the files above stay the same.
    rng15 = random.Random(15)
    for ext in ["odt", "rtf", "doc", "csv"]:
        put(f"random.{ext}", bytes(rng15.getrandbits(8) for _ in range(4096)))
    plan_rows = [["Action", "Lead", "By when"], ["Fund a carers centre", "ICB", "March 2026"], ["Train staff", "Council", "April 2027"]]
    good_odt = odt(odt_table(plan_rows))
    put("good.odt", good_odt)
    put("truncated.odt", good_odt[: len(good_odt) // 2])
    put("odt-named.docx", good_odt)
    good_rtf = rtf_table(plan_rows)
    put("good.rtf", good_rtf)
    put("truncated.rtf", good_rtf[: len(good_rtf) // 2])
    put("rtf-named.doc", good_rtf)
    good_csv = "\r\n".join(",".join(f'"{c}"' if "," in c else c for c in r) for r in plan_rows).encode() + b"\r\n"
    put("good.csv", good_csv)
    put("truncated.csv", good_csv[: len(good_csv) // 2])
    put("csv-unclosed-quote.csv", b'Action,Lead,By when\r\n"Fund a carers centre,ICB,March 2026\r\nTrain staff,Council,April 2027\r\n')
    put("csv-wide.csv", b"Action,Lead,By when" + b"," * 50000 + b"\nFund,ICB,2026\n")
    # A real .doc (made by LibreOffice, see fixtures/office/convert_fixtures.py), damaged.
    good_doc = open(os.path.join(HERE, "..", "office", "plan.doc"), "rb").read()
    put("truncated.doc", good_doc[: len(good_doc) // 2])
    put("doc-named.docx", good_doc)
    put("doc-named.xls", good_doc)
    fib = word_fib_at(good_doc)
    enc = bytearray(good_doc)
    enc[fib + 0x0B] |= 0x01  # fEncrypted
    put("encrypted.doc", bytes(enc))
    fast = bytearray(good_doc)
    fast[fib + 0x0A] |= 0x04  # fComplex: fast-saved
    put("fast-saved.doc", bytes(fast))
    bad_pieces = bytearray(good_doc)
    bad_pieces[fib + 0x4C:fib + 0x50] = (0x7FFFFFFF).to_bytes(4, "little")  # ccpText: 2^31
    put("doc-huge-text-count.doc", bytes(bad_pieces))
    # RTF: groups nested 100k deep, a \bin longer than the file, 100k cells in one row.
    put("deep-groups.rtf", b"{\\rtf1 " + b"{" * 20000 + b"x" + b"}" * 20000 + b"}")
    put("rtf-bin-overflow.rtf", b"{\\rtf1 Action\\par \\bin999999999 abc}")
    put("rtf-many-cells.rtf", b"{\\rtf1\\trowd\\cellx100000000" + b"\\pard\\intbl x\\cell" * 5000 + b"\\row}")
    # ODT: zip bomb, entities, 5000 nested tables, repeat counts of a billion.
    put("bomb.odt", odt_bomb(64 << 20))
    put("billion-laughs.odt", odt(odt_table([["Action", "Lead"], ["&lol9;", "ICB"]]), prolog=laughs.replace('<?xml version="1.0"?>', '<?xml version="1.0"?>')))
    put("external-entity.odt", odt(odt_table([["Action", "Lead", "By when"], ["&xxe;&web;", "ICB", "March 2026"], ["Train staff", "Council", "April 2027"]]), prolog=xxe))
    put("nested-tables.odt", odt("<table:table><table:table-row><table:table-cell>" * depth + "<text:p>deep</text:p>" + "</table:table-cell></table:table-row></table:table>" * depth))
    put("repeat-bomb.odt", odt('<table:table><table:table-row table:number-rows-repeated="1000000000"><table:table-cell table:number-columns-repeated="1000000000" table:number-columns-spanned="1000000"><text:p>x</text:p></table:table-cell></table:table-row></table:table>' * 50))
    put("encrypted.odt", odt("<text:p>x</text:p>", manifest_extra='<manifest:encryption-data manifest:checksum-type="SHA1" manifest:checksum="x"/>'))
    put("html-script.html", b"<html><body><table><tr><th>Action</th><th>Lead</th><th>By when</th></tr><tr><td>Fund <script>alert('doc')</script> a centre</td><td><img src=x onerror=alert(1)>ICB</td><td>March 2026</td></tr><tr><td>Train staff</td><td>Council</td><td>April 2027</td></tr></table></body></html>")
    put("script.txt", b"Action plan\nAction\tLead\tBy when\nFund <script>alert('doc')</script> a centre\t<img src=x onerror=alert(1)>ICB\tMarch 2026\n=HYPERLINK(\"http://x\")\t@SUM(A1)\t+1\n")

    if len(sys.argv) > 2 and sys.argv[1] == "--large":
        out = sys.argv[2]
        os.makedirs(out, exist_ok=True)
        put("500-pages.pdf", pdf([PLAN] * 500), out)
        put("100k-rows.xlsx", xlsx(sheet_rows([["Action", "Lead", "By when"]] + [[f"Action {i}", "ICB", "March 2026"] for i in range(100000)])), out)
        put("bomb-1gib.docx", bomb("docx", 1 << 30), out)
        put("long-line.txt", (b"We will " + b"support carers " * 700000) + b"\n", out)


if __name__ == "__main__":
    main()
