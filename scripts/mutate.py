#!/usr/bin/env python3
"""Mutation campaign: run carers-extract on mutants of the project's own fixtures and report every
run that breaks the promise "one line on stderr, never a crash".

    python3 scripts/mutate.py [--count 10000] [--seed 14] [--jobs 2] [--bin target/release/carers-extract]
                              [--save DIR] [--keep-contained] [--formats pdf,docx,...] [--json OUT]

Deterministic: mutant i is made from a seed file chosen by `Random(f"{seed}:{i}")` and the same
generator, so `--count 10000 --seed 14` always makes the same 10,000 files (on the same fixtures).
Nothing is downloaded; only Python 3 is needed.

Mutations are structure-aware where the format has structure:
  * PDF: objects and streams are parsed; a mutation changes a number, a reference (to itself, to
    its parent, to a missing object), a name, a dictionary key, the page tree (/Kids, /Parent,
    /Count), a Form XObject (self-drawing, mutual recursion, deep chains), a font (/Widths,
    /FirstChar, ToUnicode ranges), a content stream (after inflating it: repeated `q`, huge
    numbers, deep arrays, `Do` loops, random operators; deflated again); then the xref table
    is rebuilt (mostly) or left stale.
  * DOCX / XLSX / ODS: the zip is opened, one or more entries are mutated (XML-aware: elements
    duplicated, nested deep, dropped; attributes such as cell references, spans, dimensions and
    counts made huge; entities; control characters), and the archive is written again.
  * ODT: as the zip formats above (content.xml and styles.xml first; repeat and span attributes).
  * DOC: the FIB (character counts, fc/lcb pairs of the piece table and formatting tables), the
    piece table's character positions, then the compound-file container as for XLS.
  * RTF: group depth (balanced or not), control-word parameters made huge or negative, rows of
    thousands of cells, \bin with lying lengths, nested tables, destinations, unicode escapes.
  * CSV: unclosed quotes, quoted newlines, wide and long tables, delimiter changes, encodings.
  * XLS: compound-file header counts and sector ids, FAT entries, directory entries and BIFF
    records (DIMENSIONS, SST, LABEL, BOUNDSHEET lengths and counts).
  * HTML / text / Markdown: line and tag level (deep nesting, huge tables, long lines, control
    characters, encodings), plus bytes.
  * Every format: byte flips, interesting integers, truncation, chunk duplication and splicing.

Each run: one file, `-j 1`, a rotating output format, 20 s and 1 GiB limits (measured: wall time,
peak RSS of the process tree via wait4, kill after 20 s). A run is a *violation* when it is killed
by a signal, prints more than one line on stderr (or a Rust panic/backtrace), runs over 20 s,
uses more than 1 GiB, or exits with a code other than 0, 1 or 2. Inputs whose worker process died
(the tool reports "could not be read (it made ... crash" or a memory budget) are *contained*
crashes: counted, and saved with --keep-contained, since they are parser crashes worth a
regression fixture.
"""
import argparse
import collections
import io
import json
import os
import random
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
import zlib
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
FORMATS_OUT = ["json", "text", "csv", "ndjson", "markdown", "html", "xlsx", "sarif", "github", "junit"]
TIME_LIMIT = 20.0
MEM_LIMIT_KB = 1024 * 1024  # 1 GiB
INTERESTING = [0, 1, -1, 255, 256, 65535, 65536, 2**31 - 1, 2**31, 2**32 - 1, 2**32, 2**63 - 1,
               10**9, 10**12, 99999999999999999999, -2**31]


# ---------------------------------------------------------------- seeds

def seeds():
    """The project's own fixtures, by format (documents only, no outputs or scripts)."""
    groups = collections.defaultdict(list)
    for d in ["fixtures/office", "fixtures/pdf", "fixtures/seeds", "fixtures/layouts", "fixtures/bad"]:
        full = os.path.join(ROOT, d)
        if not os.path.isdir(full):
            continue
        for name in sorted(os.listdir(full)):
            p = os.path.join(full, name)
            if not os.path.isfile(p) or os.path.getsize(p) == 0 or os.path.getsize(p) > 2_000_000:
                continue
            ext = name.rsplit(".", 1)[-1].lower()
            kind = {"pdf": "pdf", "docx": "docx", "xlsx": "xlsx", "xls": "xls", "ods": "ods",
                    "html": "html", "htm": "html", "txt": "text", "md": "md", "odt": "odt",
                    "rtf": "rtf", "csv": "csv", "doc": "doc"}.get(ext)
            if kind is None or name.startswith(("random", "empty", "all-nul", "bomb")):
                continue
            with open(p, "rb") as f:
                data = f.read()
            # A seed must be what its name says (fixtures/bad has renamed files).
            if kind == "pdf" and not data.startswith(b"%PDF"):
                continue
            if kind in ("docx", "xlsx", "ods", "odt") and not data.startswith(b"PK"):
                continue
            if kind in ("xls", "doc") and not data.startswith(b"\xd0\xcf\x11\xe0"):
                continue
            if kind == "rtf" and not data.startswith(b"{\\rtf"):
                continue
            groups[kind].append((os.path.relpath(p, ROOT), data))
    return groups


# ---------------------------------------------------------------- generic byte mutations

MAX_GROWTH = 4 << 20  # no repetition adds more than 4 MB


def rep(seg, n):
    """`seg` repeated `n` times, or fewer so that the result stays under MAX_GROWTH."""
    if seg and len(seg) * n > MAX_GROWTH:
        n = max(2, MAX_GROWTH // len(seg))
    return seg * n

def num_bytes(rng):
    return str(rng.choice(INTERESTING)).encode()


def bytes_mutate(rng, data, rounds=None):
    b = bytearray(data)
    for _ in range(rounds or rng.randint(1, 8)):
        if not b:
            b += bytes(rng.randrange(256) for _ in range(16))
        op = rng.randrange(9)
        i = rng.randrange(len(b))
        if op == 0:  # bit flip
            b[i] ^= 1 << rng.randrange(8)
        elif op == 1:  # interesting byte
            b[i] = rng.choice([0, 0xFF, 0x7F, 0x80, 0x1B, 0x0A, 0x3C, 0x5B])
        elif op == 2:  # interesting 32-bit integer
            v = rng.choice(INTERESTING) & 0xFFFFFFFF
            b[i:i + 4] = v.to_bytes(4, "little")
        elif op == 3:  # delete a chunk
            del b[i:i + rng.randint(1, 256)]
        elif op == 4:  # duplicate a chunk
            chunk = b[i:i + rng.randint(1, 512)]
            b[i:i] = rep(bytes(chunk), rng.randint(1, 20))
        elif op == 5:  # insert random bytes
            b[i:i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 64)))
        elif op == 6:  # truncate
            del b[max(1, i):]
        elif op == 7:  # replace an ASCII number with an interesting one
            m = list(re.finditer(rb"\d+", bytes(b[max(0, i - 4096):i + 4096])))
            if m:
                mm = rng.choice(m)
                s, e = max(0, i - 4096) + mm.start(), max(0, i - 4096) + mm.end()
                b[s:e] = num_bytes(rng)
        else:  # swap two chunks
            j = rng.randrange(len(b))
            n = rng.randint(1, 64)
            b[i:i + n], b[j:j + n] = b[j:j + n], b[i:i + n]
    return bytes(b)


def splice(rng, data, other):
    if not data or not other:
        return data
    i, j = rng.randrange(len(data)), rng.randrange(len(other))
    return data[:i] + other[j:j + rng.randint(16, 4096)] + data[i:]


# ---------------------------------------------------------------- text, markdown, html

CONTROLS = ["\x1b[2J", "\x1b]0;title\x07", "\x1b[31m", "\r", "\x00", "\x08", "\x9b1m", "\x7f", "\u202e"]


def text_mutate(rng, data):
    try:
        t = data.decode("utf-8")
    except UnicodeDecodeError:
        return bytes_mutate(rng, data)
    lines = t.split("\n")
    for _ in range(rng.randint(1, 6)):
        op = rng.randrange(11)
        i = rng.randrange(len(lines)) if lines else 0
        if not lines:
            lines = [""]
        if op == 0:
            lines[i:i] = [lines[i]] * (len(rep(lines[i] + "\n", rng.choice([2, 10, 1000, 20000]))) // (len(lines[i]) + 1))
        elif op == 1:
            del lines[i:i + rng.randint(1, 50)]
        elif op == 2:
            lines[i] = lines[i] + rng.choice(CONTROLS) + lines[i]
        elif op == 3:
            lines[i] = rep(lines[i], rng.choice([100, 5000]))
        elif op == 4:
            lines[i] = rep(lines[i] + "\t", rng.choice([50, 3000]))
        elif op == 5:
            lines[i] = "|" + "|".join(["x"] * rng.choice([100, 5000])) + "|"
        elif op == 6:
            lines.insert(i, "\f")
        elif op == 7:
            lines[i] = re.sub(r"\d+", lambda m: str(rng.choice(INTERESTING)), lines[i])
        elif op == 8:
            lines[i] = ("1." * rng.choice([100, 5000])) + " " + lines[i]
        elif op == 9:
            lines.insert(i, "Action\tLead\tBy when\tEvidence\t" * rng.choice([1, 200]))
        else:
            lines[i] = "".join(rng.choice(["-", "*", "•", "\u00a0", " ", "\t"]) for _ in range(rng.choice([10, 2000]))) + lines[i]
    out = "\n".join(lines)
    enc = rng.randrange(10)
    if enc == 0:
        return out.encode("utf-16-le")
    if enc == 1:
        return b"\xff\xfe" + out.encode("utf-16-le")
    if enc == 2:
        return out.encode("utf-8", "replace")[: rng.randrange(1, max(2, len(out)))] + b"\xc3"
    return out.encode("utf-8", "surrogatepass")


def html_mutate(rng, data):
    t = data.decode("utf-8", "replace")
    for _ in range(rng.randint(1, 5)):
        op = rng.randrange(9)
        tags = list(re.finditer(r"<(/?)([a-zA-Z0-9]+)([^>]*)>", t))
        if not tags:
            break
        m = rng.choice(tags)
        if op == 0:  # deep nesting
            tag = rng.choice(["div", "table", "ul", "td", "span", "b", "tr"])
            n = rng.choice([100, 5000, 50000])
            t = t[:m.start()] + f"<{tag}>" * n + "x" + f"</{tag}>" * rng.choice([0, n]) + t[m.start():]
        elif op == 1:  # huge spans
            t = t[:m.end() - 1] + f' colspan="{rng.choice(INTERESTING)}" rowspan="{rng.choice(INTERESTING)}"' + t[m.end() - 1:]
        elif op == 2:  # duplicate a tag-delimited region
            j = rng.choice(tags).end()
            a, b = sorted([m.start(), j])
            t = t[:b] + rep(t[a:b], rng.choice([2, 50, 2000])) + t[b:]
        elif op == 3:  # drop a tag
            t = t[:m.start()] + t[m.end():]
        elif op == 4:
            t = t[:m.end()] + rng.choice(CONTROLS) + t[m.end():]
        elif op == 5:
            t = t[:m.start()] + "<!DOCTYPE x [<!ENTITY a \"&#38;a;&#38;a;\">]>&a;" + t[m.start():]
        elif op == 6:
            t = t[:m.end()] + "<td>" * rng.choice([1000, 100000]) + t[m.end():]
        elif op == 7:
            t = t[:m.start()] + "<table>" + "<tr><td>1</td><td>Lead</td><td>2025</td></tr>" * rng.choice([10, 20000]) + "</table>" + t[m.start():]
        else:
            t = t[:m.start()] + t[m.start():m.end()].replace(">", " " + "a=b " * 1000 + ">") + t[m.end():]
    return t.encode("utf-8", "surrogatepass")


# ---------------------------------------------------------------- zip formats

def xml_mutate(rng, data):
    t = data.decode("utf-8", "replace")
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(10)
        elems = list(re.finditer(r"<([A-Za-z][\w:.-]*)(\s[^<>]*)?>", t))
        if not elems:
            return bytes_mutate(rng, data)
        m = rng.choice(elems)
        name = m.group(1)
        if op == 0:  # duplicate a whole element
            close = t.find(f"</{name}>", m.end())
            if close > 0:
                seg = t[m.start():close + len(name) + 3]
                t = t[:m.start()] + rep(seg, rng.choice([2, 100, 3000])) + t[m.start():]
        elif op == 1:  # nest deep
            n = rng.choice([200, 5000, 100000])
            t = t[:m.end()] + f"<{name}>" * n + f"</{name}>" * n + t[m.end():]
        elif op == 2:  # numbers in attributes
            seg = re.sub(r'"(\d+)"', lambda _: f'"{rng.choice(INTERESTING)}"', m.group(0))
            t = t[:m.start()] + seg + t[m.end():]
        elif op == 3:  # cell references and ranges
            seg = re.sub(r'"([A-Z]{1,3})(\d+)(:[A-Z]{1,3}\d+)?"', lambda _: rng.choice(
                ['"XFD1048576"', '"A1:XFD1048576"', '"ZZZZZZ99999999999"', '"A0"', '""', '"A-1"']), m.group(0))
            t = t[:m.start()] + seg + t[m.end():]
        elif op == 4:  # drop the element's start tag
            t = t[:m.start()] + t[m.end():]
        elif op == 5:  # controls in text
            t = t[:m.end()] + rng.choice(CONTROLS) + t[m.end():]
        elif op == 6:
            t = t[:m.end() - 1].rstrip("/") + rng.choice([
                ' w:val="999999999"', ' gridSpan="100000"', ' table:number-columns-repeated="1048576"',
                ' table:number-rows-repeated="1000000"', ' table:number-columns-spanned="16384"',
                ' r="XFD1048576"', ' count="4294967295"', ' uniqueCount="2147483647"']) + t[m.end() - 1:]
        elif op == 7:
            t = t.replace("<?xml", '<!DOCTYPE r [<!ENTITY e "ee"><!ENTITY f "&e;&e;&e;&e;">]><?xml', 1)
        elif op == 8:
            t = t[:m.start()] + t[m.start():][: rng.randrange(1, 200)]
        else:
            return bytes_mutate(rng, t.encode("utf-8", "surrogatepass"), 2)
    return t.encode("utf-8", "surrogatepass")


def zip_mutate(rng, data):
    try:
        zin = zipfile.ZipFile(io.BytesIO(data))
        entries = [(i, zin.read(i.filename)) for i in zin.infolist()]
    except Exception:
        return bytes_mutate(rng, data)
    for _ in range(rng.randint(1, 3)):
        if not entries:
            break
        xml_names = [i for i, (info, _) in enumerate(entries) if info.filename.endswith((".xml", ".rels"))]
        # Prefer the parts that carry the content.
        main = [i for i in xml_names if re.search(
            r"document|sheet\d|sharedStrings|content|workbook|numbering|styles", entries[i][0].filename)]
        op = rng.randrange(10)
        pool = main if (main and op < 7) else (xml_names or list(range(len(entries))))
        k = rng.choice(pool)
        info, body = entries[k]
        if op < 6:
            body = xml_mutate(rng, body)
        elif op < 8:
            body = bytes_mutate(rng, body)
        elif op == 8 and len(entries) > 1:
            del entries[k]
            continue
        else:
            entries.append((zipfile.ZipInfo(info.filename), body))  # duplicate name
            continue
        entries[k] = (info, body)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info, body in entries:
            zi = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            zi.compress_type = rng.choice([zipfile.ZIP_DEFLATED, zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED])
            import warnings
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                z.writestr(zi, body)
    result = out.getvalue()
    if rng.randrange(8) == 0:  # and sometimes damage the container itself
        result = bytes_mutate(rng, result, 1)
    return result


# ---------------------------------------------------------------- PDF

OBJ_RE = re.compile(rb"(\d+)\s+(\d+)\s+obj\b(.*?)\bendobj", re.S)


def pdf_parse(data):
    objs = []
    for m in OBJ_RE.finditer(data):
        objs.append([int(m.group(1)), int(m.group(2)), m.group(3)])
    trailer = b""
    t = data.rfind(b"trailer")
    if t >= 0:
        e = data.find(b"startxref", t)
        trailer = data[t + 7:e if e > 0 else len(data)]
    return objs, trailer


def pdf_build(objs, trailer, rng, fix_xref=True):
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offs = {}
    for num, gen, body in objs:
        offs[num] = len(out)
        out += b"%d %d obj" % (num, gen) + body + b"endobj\n"
    size = max(offs) + 1 if offs else 1
    x = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for n in range(1, size):
        o = offs.get(n)
        out += b"%010d 00000 n \n" % o if o is not None else b"0000000000 65535 f \n"
    if b"/Root" not in trailer:
        trailer = b"<< /Root 1 0 R >>"
    trailer = re.sub(rb"/Size\s+\d+", b"/Size %d" % size, trailer)
    trailer = re.sub(rb"/(Prev|XRefStm)\s+\d+", b"", trailer)
    out += b"trailer\n" + trailer.strip() + b"\nstartxref\n%d\n%%%%EOF\n" % (x if fix_xref else rng.randrange(len(out)))
    return bytes(out)


def stream_split(body):
    s = body.find(b"stream")
    e = body.rfind(b"endstream")
    if s < 0 or e < s:
        return None
    start = s + 6
    if body[start:start + 2] == b"\r\n":
        start += 2
    elif body[start:start + 1] in (b"\n", b"\r"):
        start += 1
    return body[:s], body[start:e].rstrip(b"\r\n")


def stream_join(head, data):
    head = re.sub(rb"/Length\s+\d+(\s+\d+\s+R)?", b"/Length %d" % len(data), head)
    return head + b"stream\n" + data + b"\nendstream\n"


def content_mutate(rng, c):
    ops = rng.randrange(9)
    if ops == 0:
        return b"q " * rng.choice([1000, 100000, 1000000]) + c
    if ops == 1:
        return re.sub(rb"-?\d+(\.\d+)?", lambda _: num_bytes(rng), c, count=rng.randint(1, 20))
    if ops == 2:
        return b"[" * rng.choice([1000, 100000]) + b"(x)" + b"]" * rng.choice([0, 1000]) + b" TJ " + c
    if ops == 3:
        return c + b" /X%d Do " % rng.randrange(3) * rng.choice([1, 1000])
    if ops == 4:
        return c + b" BT /F1 %d Tf (x) Tj ET " % rng.choice(INTERESTING)
    if ops == 5:
        return c + b" BI /W 100000 /H 100000 /BPC 8 /CS /RGB ID " + bytes(rng.randrange(256) for _ in range(64)) + b" EI "
    if ops == 6:
        return c + rng.choice([b" 1e308 1e308 1e308 1e308 1e308 1e308 cm ", b" 0 0 0 0 0 0 cm BT (x) Tj ET ",
                               b" NaN NaN Td ", b" /GS0 gs ", b" <<" * 5000])
    if ops == 7:
        return c[: rng.randrange(len(c) + 1)]
    return bytes_mutate(rng, c, 3)


def pdf_mutate(rng, data):
    objs, trailer = pdf_parse(data)
    if not objs or rng.randrange(12) == 0:
        return bytes_mutate(rng, data)
    nums = [o[0] for o in objs]
    by_num = {o[0]: o for o in objs}
    kinds = collections.defaultdict(list)
    for o in objs:
        b = o[2]
        if b"/Type /Page" in b or b"/Type/Page" in b:
            kinds["pages" if b"/Kids" in b else "page"].append(o)
        if b"/Subtype /Form" in b or b"/Subtype/Form" in b:
            kinds["form"].append(o)
        if b"/Font" in b and b"/BaseFont" in b:
            kinds["font"].append(o)
        if b"stream" in b:
            kinds["stream"].append(o)
        if b"begincmap" in b or b"/ToUnicode" in b:
            kinds["cmap"].append(o)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(14)
        o = rng.choice(objs)
        body = o[2]
        if op == 0:  # a reference made to point at itself / another / a missing object
            refs = list(re.finditer(rb"(\d+)\s+0\s+R", body))
            if refs:
                r = rng.choice(refs)
                target = rng.choice([o[0], rng.choice(nums), max(nums) + 1000, 0])
                o[2] = body[:r.start()] + b"%d 0 R" % target + body[r.end():]
        elif op == 1:  # numbers
            o[2] = re.sub(rb"(?<![\w/])-?\d+(\.\d+)?(?!\s+0\s+R)", lambda _: num_bytes(rng), body,
                          count=rng.randint(1, 6))
        elif op == 2 and kinds["pages"]:  # page tree loops and counts
            p = rng.choice(kinds["pages"])
            target = rng.choice(kinds["pages"] + kinds["page"])
            p[2] = re.sub(rb"/Kids\s*\[", b"/Kids [%d 0 R " % rng.choice([p[0], target[0]]), p[2], count=1)
            if rng.randrange(2):
                p[2] = re.sub(rb"/Count\s+\d+", b"/Count %d" % rng.choice(INTERESTING), p[2])
        elif op == 3 and kinds["page"]:  # /Parent loop
            p = rng.choice(kinds["page"])
            p[2] = re.sub(rb"/Parent\s+\d+\s+0\s+R", b"/Parent %d 0 R" % p[0], p[2])
        elif op == 4 and (kinds["form"] or kinds["page"]):  # forms that draw themselves / each other
            f = rng.choice(kinds["form"] or kinds["page"])
            other = rng.choice(kinds["form"] or [f])
            res = b"/XObject << /X0 %d 0 R /X1 %d 0 R >>" % (f[0], other[0])
            f[2] = re.sub(rb"/Resources\s*<<", b"/Resources << " + res + b" ", f[2], count=1)
            sp = stream_split(f[2])
            if sp:
                head, raw = sp
                f[2] = stream_join(re.sub(rb"/Filter\s*/\w+", b"", head), b"/X0 Do /X1 Do")
        elif op == 5 and kinds["font"]:  # widths and char ranges
            f = rng.choice(kinds["font"])
            f[2] = re.sub(rb"/FirstChar\s+\d+", b"/FirstChar %d" % rng.choice(INTERESTING), f[2])
            f[2] = re.sub(rb"/LastChar\s+\d+", b"/LastChar %d" % rng.choice(INTERESTING), f[2])
            f[2] = f[2].replace(b"/Widths [", b"/Widths [" + b"0 " * rng.choice([0, 10, 100000]), 1)
        elif op == 6 and kinds["stream"]:  # content streams, inflated when deflated
            s = rng.choice(kinds["stream"])
            sp = stream_split(s[2])
            if sp:
                head, raw = sp
                flate = b"FlateDecode" in head
                try:
                    plain = zlib.decompress(raw) if flate else raw
                except zlib.error:
                    plain, flate = raw, False
                if b"begincmap" in plain:
                    plain = plain.replace(b"beginbfrange", b"beginbfrange\n<0000> <FFFF> <0000>\n<00> <FFFFFFFF> [<0041>]\n", 1)
                    plain = re.sub(rb"\d+ begincodespacerange", b"%d begincodespacerange" % rng.choice(INTERESTING), plain)
                else:
                    plain = content_mutate(rng, plain)
                if flate and rng.randrange(6):
                    s[2] = stream_join(head, zlib.compress(plain))
                else:
                    s[2] = stream_join(re.sub(rb"/Filter\s*/FlateDecode", b"", head), plain)
        elif op == 7:  # deep nesting in a dictionary
            n = rng.choice([1000, 50000])
            o[2] = body.replace(b"<<", b"<< /Deep " + b"[" * n + b"]" * n + b" ", 1)
        elif op == 8:  # drop a key
            keys = list(re.finditer(rb"/[A-Za-z]+\s+[^/>]*", body))
            if keys:
                k = rng.choice(keys)
                o[2] = body[:k.start()] + body[k.end():]
        elif op == 9:  # duplicate an object number
            objs.append([o[0], 0, rng.choice(objs)[2]])
        elif op == 10 and len(objs) > 2:  # drop an object
            objs.remove(o)
            if not objs:
                objs.append([1, 0, body])
        elif op == 11:  # stream length lies
            o[2] = re.sub(rb"/Length\s+\d+", b"/Length %d" % rng.choice(INTERESTING), body)
        elif op == 12:  # object streams and xref streams declared
            o[2] = body.replace(b"<<", b"<< /Type /ObjStm /N %d /First %d " % (rng.choice(INTERESTING), rng.choice(INTERESTING)), 1)
        else:  # bytes inside one object
            o[2] = bytes_mutate(rng, body, 2)
        by_num = {x[0]: x for x in objs}
        nums = list(by_num)
    return pdf_build(objs, trailer, rng, fix_xref=rng.randrange(6) != 0)


# ---------------------------------------------------------------- XLS (compound file)

def xls_mutate(rng, data):
    b = bytearray(data)
    if len(b) < 512:
        return bytes_mutate(rng, data)
    ss = 1 << int.from_bytes(b[0x1E:0x20], "little") if b[0x1E:0x20] in (b"\x09\x00", b"\x0c\x00") else 512
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(7)
        if op == 0:  # header counts and sector ids
            off = rng.choice([0x28, 0x2C, 0x30, 0x38, 0x3C, 0x40, 0x44, 0x48, 0x1E, 0x20, 0x4C])
            b[off:off + 4] = (rng.choice(INTERESTING) & 0xFFFFFFFF).to_bytes(4, "little")
        elif op == 1:  # a FAT entry
            fat = int.from_bytes(b[0x4C:0x50], "little")
            base = (fat + 1) * ss
            if base + ss <= len(b):
                i = base + 4 * rng.randrange(ss // 4)
                b[i:i + 4] = rng.choice([i // 4, 0, 1, 0xFFFFFFFE, 0xFFFFFFFD, rng.randrange(1 << 32)]).to_bytes(4, "little")
        elif op == 2:  # a directory entry: start sector or size
            dirs = int.from_bytes(b[0x30:0x34], "little")
            base = (dirs + 1) * ss
            if base + 128 <= len(b):
                e = base + 128 * rng.randrange(max(1, min(ss, len(b) - base) // 128))
                off = rng.choice([116, 120, 124, 68, 72, 76])
                b[e + off:e + off + 4] = (rng.choice(INTERESTING) & 0xFFFFFFFF).to_bytes(4, "little")
        elif op in (3, 4):  # a BIFF record
            recs = [m.start() for m in re.finditer(rb"(\x00\x02|\xfc\x00|\x04\x02|\x85\x00|\xfd\x00|\x3c\x00|\xe5\x00|\x06\x00)", bytes(b))]
            if recs:
                r = rng.choice(recs)
                if op == 3 and r + 4 <= len(b):  # record length
                    b[r + 2:r + 4] = rng.choice([0, 1, 0x2020, 0xFFFF, 8224]).to_bytes(2, "little")
                elif r + 8 <= len(b):  # a field inside
                    k = r + 4 + rng.randrange(8)
                    b[k:k + 4] = (rng.choice(INTERESTING) & 0xFFFFFFFF).to_bytes(4, "little")
        else:
            return bytes_mutate(rng, bytes(b), 2)
    return bytes(b)


# ---------------------------------------------------------------- RTF and CSV

RTF_WORDS = [rb"\cellx", rb"\trgaph", rb"\trleft", rb"\u", rb"\uc", rb"\bin", rb"\itap", rb"\ls", rb"\ilvl",
             rb"\f", rb"\fs", rb"\ansicpg", rb"\cpg", rb"\fcharset", rb"\clmgf", rb"\clvmgf", rb"\s", rb"\pn"]


def rtf_mutate(rng, data):
    t = bytearray(data)
    for _ in range(rng.randint(1, 5)):
        op = rng.randrange(12)
        words = list(re.finditer(rb"\\([a-z]{1,32})(-?\d{1,10})? ?", bytes(t)))
        i = rng.randrange(len(t) + 1)
        if op == 0:  # deep groups, closed or not
            n = rng.choice([100, 5000, 200000])
            t[i:i] = b"{" * n + b"x" + b"}" * rng.choice([0, n, n // 2])
        elif op == 1 and words:  # a control word's parameter made huge or negative
            m = rng.choice(words)
            t[m.start():m.end()] = b"\\" + m.group(1) + num_bytes(rng) + b" "
        elif op == 2:  # table-control words with extreme values
            w = rng.choice(RTF_WORDS)
            t[i:i] = (w + num_bytes(rng) + b" ") * rng.choice([1, 100, 30000])
        elif op == 3:  # many cells / rows
            row = b"\\trowd" + b"\\cellx%d" % rng.choice([100, 2**31 - 1, -5]) * rng.choice([1, 200, 5000]) + \
                  b" x\\cell" * rng.choice([1, 300, 20000]) + b"\\row "
            t[i:i] = rep(row, rng.choice([1, 50, 5000]))
        elif op == 4:  # \bin with a lying length
            t[i:i] = b"\\bin%d " % rng.choice(INTERESTING) + bytes(rng.randrange(256) for _ in range(32))
        elif op == 5 and words:  # drop a control word
            m = rng.choice(words)
            del t[m.start():m.end()]
        elif op == 6:  # unbalanced braces
            t[i:i] = rng.choice([b"}", b"{", b"}}}}", b"{\\*"]) * rng.choice([1, 100])
        elif op == 7:  # hex escapes and unicode
            t[i:i] = rng.choice([b"\\'", b"\\'zz", b"\\'ff", b"\\u-1?", b"\\u99999999 ", b"\\uc9999 \\u65 abc",
                                 b"\\'1b[2J", b"\\u27?[31m"]) * rng.choice([1, 1000])
        elif op == 8:  # nested tables
            t[i:i] = rep(b"\\intbl\\itap%d x\\nestcell{\\*\\nesttableprops\\trowd\\cellx1\\nestrow}" % rng.choice([2, 100, 65536]),
                         rng.choice([1, 100, 10000]))
        elif op == 9:  # destinations and font tables
            t[i:i] = rng.choice([b"{\\fonttbl" + b"{\\f1 x;}" * 1000 + b"}", b"{\\*\\shppict{\\pict " + b"00" * 5000 + b"}}",
                                 b"{\\object{\\objdata 0102}}", b"{\\stylesheet{\\s0 " * 500])
        elif op == 10:  # controls in text
            t[i:i] = rng.choice(CONTROLS).encode("utf-8", "surrogatepass")
        else:
            return bytes_mutate(rng, bytes(t), 2)
    return bytes(t)


def csv_mutate(rng, data):
    try:
        t = data.decode("utf-8")
    except UnicodeDecodeError:
        return bytes_mutate(rng, data)
    lines = t.split("\n") or [""]
    for _ in range(rng.randint(1, 5)):
        op = rng.randrange(10)
        i = rng.randrange(len(lines)) if lines else 0
        if not lines:
            lines = [""]
        if op == 0:  # an unclosed or stray quote
            lines[i] = rng.choice(['"', '""', '"x""', 'a"b']) + lines[i]
        elif op == 1:  # quoted field with many newlines
            lines[i] = '"' + "\n" * rng.choice([10, 10000]) + lines[i] + '",x'
        elif op == 2:  # a very wide row
            lines[i] = rep(lines[i] + ",", rng.choice([100, 20000]))
        elif op == 3:  # many rows
            lines[i:i] = [lines[i]] * (len(rep(lines[i] + "\n", rng.choice([10, 1000, 50000]))) // (len(lines[i]) + 1))
        elif op == 4:  # the delimiter changes
            lines[i] = lines[i].replace(",", rng.choice([";", "\t", "|", "\x00", ""]))
        elif op == 5:  # formula and control characters
            lines[i] = rng.choice(["=cmd|' /C calc'!A0", "+1+1", "@SUM(1)", "-2"]) + rng.choice(CONTROLS) + "," + lines[i]
        elif op == 6:
            lines[i] = lines[i] + "\r" * rng.choice([1, 1000])
        elif op == 7:
            del lines[i:i + rng.randint(1, 20)]
        elif op == 8:
            lines[i] = rep(lines[i], rng.choice([100, 5000]))
        else:
            lines.insert(i, "sep=" + rng.choice([",", ";", "\t", "", "ab"]))
    out = "\n".join(lines)
    enc = rng.randrange(10)
    if enc == 0:
        return b"\xff\xfe" + out.encode("utf-16-le", "surrogatepass")
    if enc == 1:
        return out.encode("cp1252", "replace")
    if enc == 2:
        return b"\xef\xbb\xbf" + out.encode("utf-8", "surrogatepass")
    return out.encode("utf-8", "surrogatepass")


# ---------------------------------------------------------------- Word .doc (compound file)

def doc_mutate(rng, data):
    """The FIB (counts of characters, offsets and sizes of the piece table, formatting and style
    tables in the Table stream) and the piece table itself, then the compound-file containers."""
    b = bytearray(data)
    fib = bytes(b).find(b"\xec\xa5")  # wIdent of the FIB, at the start of the WordDocument stream
    if fib < 0 or rng.randrange(4) == 0:
        return xls_mutate(rng, data)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(6)
        if op == 0:  # ccpText and the other character counts (FibRgLw97)
            off = fib + 0x40 + 4 * rng.randrange(22)
        elif op in (1, 2):  # an fc/lcb pair of FibRgFcLcb97 (starts at 0x9A)
            off = fib + 0x9A + 4 * rng.randrange(186)
        elif op == 3:  # flags and nFib
            off = fib + rng.choice([2, 0x0A, 0x0C, 0x18, 0x1C, 0x20])
            if off + 2 <= len(b):
                b[off:off + 2] = (rng.choice(INTERESTING) & 0xFFFF).to_bytes(2, "little")
            continue
        elif op == 4:  # the piece table: clxt 0x02, lcb, then character positions
            clx = [m.start() for m in re.finditer(rb"\x02.{4}\x00\x00\x00\x00", bytes(b), re.S)]
            if not clx:
                continue
            off = rng.choice(clx) + rng.choice([1, 5, 9, 13, 17])
        else:
            return xls_mutate(rng, bytes(b))
        if off + 4 <= len(b):
            b[off:off + 4] = (rng.choice(INTERESTING + [rng.randrange(1 << 32)]) & 0xFFFFFFFF).to_bytes(4, "little")
    return bytes(b)


# ---------------------------------------------------------------- driver

MUTATORS = {"pdf": pdf_mutate, "docx": zip_mutate, "xlsx": zip_mutate, "ods": zip_mutate, "odt": zip_mutate,
            "xls": xls_mutate, "doc": doc_mutate, "rtf": rtf_mutate, "csv": csv_mutate,
            "html": html_mutate, "text": text_mutate, "md": text_mutate}
EXT = {"text": "txt"}


def make_mutant(groups, seed, i, only):
    rng = random.Random(f"{seed}:{i}")
    kinds = sorted(k for k in groups if not only or k in only)
    kind = kinds[i % len(kinds)]
    name, data = rng.choice(groups[kind])
    r = rng.randrange(20)
    if r == 0:
        m = bytes_mutate(rng, data)
    elif r == 1:
        other = rng.choice(groups[rng.choice(kinds)])[1]
        m = splice(rng, data, other)
    else:
        m = MUTATORS[kind](rng, data)
        if rng.randrange(4) == 0 and len(m) < (2 << 20):  # stack a second mutation
            m = MUTATORS[kind](rng, m)
    m = m[:16 << 20]
    fmt = FORMATS_OUT[rng.randrange(len(FORMATS_OUT))]
    return kind, name, m, fmt


TIME = "/usr/bin/time" if os.path.exists("/usr/bin/time") else None


def run_one(binary, path, fmt, extra_env):
    """Run the tool on one file. Peak memory comes from GNU time when it is there: a process
    forked from this (large) Python process would report Python's memory as its own peak."""
    env = dict(os.environ)
    env.pop("RUST_BACKTRACE", None)
    env.update(extra_env)
    cmd = [binary, "--no-config", "-j", "1", "-f", fmt, path]
    rss_file = None
    if TIME:
        rss_file = path + ".rss"
        cmd = [TIME, "-f", "%M", "-o", rss_file] + cmd
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
                            start_new_session=True)
    timed_out = threading.Event()

    def kill():
        timed_out.set()
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    timer = threading.Timer(TIME_LIMIT, kill)
    timer.start()
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    timer.cancel()
    proc.returncode = 0  # reaped here
    elapsed = time.monotonic() - start
    try:  # workers left behind after a kill
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    sig = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
    code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else None
    rss = usage.ru_maxrss
    if rss_file:
        try:
            with open(rss_file) as f:
                report = f.read()
            os.unlink(rss_file)
            m = re.search(r"terminated by signal (\d+)", report)
            if m:
                sig, code = int(m.group(1)), None
            nums = re.findall(r"^(\d+)$", report, re.M)
            if nums:
                rss = int(nums[-1])
        except OSError:
            pass
    return {"code": code, "signal": sig, "time": elapsed, "rss_kb": rss,
            "timeout": timed_out.is_set(), "stderr": err.decode("utf-8", "replace")}


def classify(r):
    problems = []
    lines = [l for l in r["stderr"].split("\n") if l.strip()]
    if r["timeout"] or r["time"] > TIME_LIMIT:
        problems.append("timeout")
    elif r["signal"] is not None:
        problems.append("signal")
    if len(lines) > 1:
        problems.append("multiline")
    if re.search(r"panicked|stack backtrace|fatal runtime|memory allocation of", r["stderr"]):
        problems.append("panic-text")
    if r["rss_kb"] > MEM_LIMIT_KB:
        problems.append("memory")
    if r["code"] not in (0, 1, 2) and r["signal"] is None and not r["timeout"]:
        problems.append("exit-code")
    contained = None
    if re.search(r"could not be read \(it made|memory budget|ran out of memory|was killed", r["stderr"]):
        contained = "crash" if "it made" in r["stderr"] else "memory"
    elif "time budget" in r["stderr"]:
        contained = "time-budget"
    return problems, contained


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--start", type=int, default=0, help="first mutant index (to resume or shard)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--bin", default=os.path.join(ROOT, "target/release/carers-extract"))
    ap.add_argument("--save", help="folder for the inputs of violating (and, with --keep-contained, contained) runs")
    ap.add_argument("--keep-contained", action="store_true")
    ap.add_argument("--formats", help="comma-separated input kinds (pdf,docx,xlsx,xls,ods,odt,doc,rtf,csv,html,text,md)")
    ap.add_argument("--json", help="write the full results here")
    ap.add_argument("--in-process", action="store_true", help="run with CARERS_EXTRACT_IN_PROCESS=1 (no isolation)")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args()
    groups = seeds()
    only = set(args.formats.split(",")) if args.formats else None
    work = tempfile.mkdtemp(prefix="carers-mutate-")
    if args.save:
        os.makedirs(args.save, exist_ok=True)
    extra_env = {"CARERS_EXTRACT_IN_PROCESS": "1"} if args.in_process else {}
    results = []
    lock = threading.Lock()
    t0 = time.monotonic()

    def job(i):
        kind, name, data, fmt = make_mutant(groups, args.seed, i, only)
        path = os.path.join(work, f"m{i:05d}.{EXT.get(kind, kind)}")
        with open(path, "wb") as f:
            f.write(data)
        r = run_one(args.bin, path, fmt, extra_env)
        problems, contained = classify(r)
        rec = {"i": i, "kind": kind, "seed_file": name, "format": fmt, "size": len(data),
               "code": r["code"], "signal": r["signal"], "time": round(r["time"], 3),
               "rss_mb": round(r["rss_kb"] / 1024, 1), "problems": problems, "contained": contained,
               "stderr": r["stderr"][:2000] if (problems or contained) else r["stderr"].strip()[:200]}
        if args.save and (problems or (contained and args.keep_contained)):
            tag = "-".join(problems) if problems else contained
            shutil.copy(path, os.path.join(args.save, f"{tag}-{i:05d}-{os.path.basename(name)}.{EXT.get(kind, kind)}"))
        os.unlink(path)
        with lock:
            results.append(rec)
            n = len(results)
            if not args.quiet and (problems or n % 500 == 0):
                el = time.monotonic() - t0
                print(f"[{n}/{args.count} {el:.0f}s] " + (f"#{i} {kind} {problems} {r['stderr'][:160]!r}" if problems else "ok"),
                      flush=True)
        return rec

    with ThreadPoolExecutor(max_workers=args.jobs) as ex:
        list(ex.map(job, range(args.start, args.start + args.count)))
    shutil.rmtree(work, ignore_errors=True)
    results.sort(key=lambda r: r["i"])
    summary = summarise(results, time.monotonic() - t0, args)
    print(summary)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"seed": args.seed, "start": args.start, "count": args.count, "results": results}, f)
    bad = sum(1 for r in results if r["problems"])
    sys.exit(1 if bad else 0)


def summarise(results, elapsed, args):
    by_kind = collections.defaultdict(collections.Counter)
    for r in results:
        c = by_kind[r["kind"]]
        c["mutants"] += 1
        c["exit %s" % r["code"]] += 1
        for p in r["problems"]:
            c[p] += 1
        if r["contained"]:
            c["contained " + r["contained"]] += 1
    total = collections.Counter()
    for c in by_kind.values():
        total.update(c)
    lines = [f"mutation campaign: {len(results)} mutants, seed {args.seed}, start {args.start}, "
             f"{elapsed:.0f} s, binary {args.bin}{' (in-process)' if args.in_process else ''}"]
    cols = ["mutants", "exit 0", "exit 1", "exit 2", "signal", "multiline", "panic-text", "timeout", "memory",
            "exit-code", "contained crash", "contained memory", "contained time-budget"]
    lines.append("kind    " + " ".join(f"{c:>10}" for c in ["mutants", "exit0", "exit2", "signal", "multiline",
                                                           "panictext", "timeout", ">1GiB", "crash*", "memory*", "budget*"]))
    for kind in sorted(by_kind) + ["TOTAL"]:
        c = total if kind == "TOTAL" else by_kind[kind]
        vals = [c["mutants"], c["exit 0"], c["exit 2"], c["signal"], c["multiline"], c["panic-text"], c["timeout"],
                c["memory"], c["contained crash"], c["contained memory"], c["contained time-budget"]]
        lines.append(f"{kind:<8}" + " ".join(f"{v:>10}" for v in vals))
    times = sorted(r["time"] for r in results)
    rss = sorted(r["rss_mb"] for r in results)
    if times:
        lines.append(f"time: median {times[len(times) // 2]:.2f} s, max {times[-1]:.2f} s; "
                     f"peak RSS: median {rss[len(rss) // 2]:.0f} MB, max {rss[-1]:.0f} MB")
    slow = sorted(results, key=lambda r: -r["time"])[:3]
    lines.append("slowest: " + ", ".join(f"#{r['i']} {r['kind']} {r['time']:.1f}s" for r in slow))
    big = sorted(results, key=lambda r: -r["rss_mb"])[:3]
    lines.append("largest: " + ", ".join(f"#{r['i']} {r['kind']} {r['rss_mb']:.0f}MB" for r in big))
    lines.append("(* contained: the worker process died or hit a budget and the tool reported one line)")
    bad = [r for r in results if r["problems"]]
    lines.append(f"violations: {len(bad)}")
    for r in bad[:30]:
        lines.append(f"  #{r['i']} {r['kind']} from {r['seed_file']} -f {r['format']}: {r['problems']} "
                     f"code={r['code']} signal={r['signal']} {r['time']:.1f}s {r['rss_mb']}MB: {r['stderr'][:200]!r}")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
