"""Cross-checks plugin/core/Checks.def against the plugin's help, the check
sources, their tests and docs/diagnostics.md (test/plugin/CheckTable.test)."""
import os
import re
import sys

src, help_file = sys.argv[1], sys.argv[2]
table = open(os.path.join(src, 'plugin/core/Checks.def')).read()
rows = re.findall(r'^TACIT_CHECK\((\w+),\s*"([a-z-]+)"', table, re.M)
helptext = open(help_file).read()
docs = open(os.path.join(src, 'docs/diagnostics.md')).read()
tests = os.listdir(os.path.join(src, 'test/plugin'))
problems = []
for cls, name in rows:
    if not re.search(r'^\s+no-%s\s' % re.escape(name), helptext, re.M):
        problems.append('help does not offer no-%s' % name)
    if not os.path.exists(os.path.join(src, 'plugin/core/%s.cpp' % cls)):
        problems.append('no source plugin/core/%s.cpp' % cls)
    if not any(t == cls + '.cpp' or t.startswith(cls + '-') for t in tests):
        problems.append('no test test/plugin/%s.cpp' % cls)
    section = re.search(r'^## %s\n(.*?)(?=^## |\Z)' % cls, docs, re.M | re.S)
    if not section:
        problems.append('docs/diagnostics.md has no section %s' % cls)
    elif '`tacit-%s`' % name not in section.group(1):
        problems.append('section %s does not name tacit-%s' % (cls, name))
names = {n for _, n in rows}
in_help = re.findall(r'^\s+no-([a-z-]+)\s', helptext.split('checks (')[-1], re.M)
for n in in_help:
    if n not in names:
        problems.append('help offers no-%s, which the table lacks' % n)
for p in problems:
    print('problem:', p)
if not problems:
    print('%d checks: table, help, sources, tests and docs agree' % len(rows))
