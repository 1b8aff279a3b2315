#!/usr/bin/env python3
"""Write a long PDF action plan for benchmarks: `make_plan_pdf.py OUT.pdf [PAGES]` (default 1000).
The plan and its drawing come from scripts/pdfgen.py (pure Python, deterministic)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts"))
import pdfgen  # noqa: E402

out = sys.argv[1] if len(sys.argv) > 1 else "plan.pdf"
n = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
pages, actions = pdfgen.plan(n)
data = pdfgen.write_pdf(pages)
open(out, "wb").write(data)
print(f"{out}: {n} pages, {actions} actions, {len(data)} bytes")
