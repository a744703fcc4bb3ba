"""Writes the programs a Markdown page shows into a directory.

A fenced block right after a line `<!-- file: NAME -->` (or
`<!-- file: NAME (a note for the reader) -->`) is written to
DIR/NAME, so a test can compile and run exactly what the page shows.

usage: doc-files.py PAGE.md DIR
"""
import os
import re
import sys

page, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
lines = open(page, encoding='utf-8').read().split('\n')
written = 0
i = 0
while i < len(lines):
    m = re.match(r"<!-- file: (\S+)( \(.*\))? -->$", lines[i])
    i += 1
    if not m:
        continue
    if i >= len(lines) or not lines[i].startswith('```'):
        sys.exit(f'{page}:{i}: no fenced block after "file: {m.group(1)}"')
    end = i + 1
    while end < len(lines) and lines[end] != '```':
        end += 1
    with open(os.path.join(out, m.group(1)), 'w', encoding='utf-8') as f:
        f.write('\n'.join(lines[i + 1:end]) + '\n')
    written += 1
    i = end + 1
print(f'{written} file(s) from {os.path.basename(page)}')
