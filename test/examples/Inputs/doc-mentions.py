"""Checks that a Markdown page mentions every name it is given.

Reads names from stdin, one per line (blank lines ignored), and fails,
listing the missing ones, unless each appears in PAGE as `name` (in
backticks, as the reference writes every name).

usage: ... | doc-mentions.py PAGE
"""
import sys

page = open(sys.argv[1], encoding='utf-8').read()
names = sorted({line.strip() for line in sys.stdin if line.strip()})
missing = [n for n in names if '`' + n + '`' not in page]
for n in missing:
    print(f'{sys.argv[1]}: does not mention `{n}`')
print(f'{len(names) - len(missing)} of {len(names)} names mentioned')
sys.exit(1 if missing or not names else 0)
