#!/usr/bin/env python3
"""Checks the expected rows of ops.test against SQLite (python's sqlite3).

Run from engine/:  python3 testdata/check_sqlite.py [--write]
Without --write it reports differences; with --write it fills in the
expected rows of cases that SQLite can run (not the file-source spellings,
which are mapped to tables of the same rows). Cases flagged batches or
affected are skipped; cases flagged error must fail in SQLite too.
"""
import re
import sqlite3
import sys

PEOPLE = [(1, 'Ann', 34, 'Paris'), (2, 'Bob', None, 'Berlin'), (3, 'Cid', 51, 'Paris'), (4, 'Dee', 29, 'Rome')]
EVENTS = [(1, 1, 'click', 3), (2, 1, 'view', 1), (3, 3, 'click', 7), (4, 9, 'buy', None)]


def fmt(v):
    if v is None:
        return 'NULL'
    if isinstance(v, float):
        s = '%.15g' % v
        if 'e' in s:
            m, e = s.split('e')
            if '.' not in m:
                m += '.0'
            return m + 'e' + e
        if '.' not in s and 'inf' not in s and 'nan' not in s:
            s += '.0'
        return s
    if isinstance(v, bytes):
        return v.decode('latin-1')
    return str(v)


def parse(text):
    cases = []
    lines = text.split('\n')
    i = 0
    while i < len(lines):
        if lines[i].startswith('case '):
            head = lines[i]
            j = i + 1
            sql = []
            while lines[j] != '----':
                sql.append(lines[j])
                j += 1
            k = j + 1
            want = []
            while k < len(lines) and lines[k] != '':
                want.append(lines[k])
                k += 1
            cases.append(dict(head=head, sql='\n'.join(sql), want=want, start=i, end=k))
            i = k
        else:
            i += 1
    return cases


def run(sql):
    db = sqlite3.connect(':memory:')
    db.executescript(open('testdata/prelude.sql').read())
    db.execute('CREATE TABLE people(id INTEGER, name TEXT, age INTEGER, city TEXT)')
    db.executemany('INSERT INTO people VALUES (?,?,?,?)', PEOPLE)
    db.execute('CREATE TABLE events(id INTEGER, person INTEGER, kind TEXT, n INTEGER)')
    db.executemany('INSERT INTO events VALUES (?,?,?,?)', EVENTS)
    sql = sql.replace("'$TMP/people.csv'", 'people').replace("'$TMP/events.jsonl'", 'events')
    stmts = [s.strip() for s in sql.split(';') if s.strip()]
    for s in stmts[:-1]:
        db.execute(s)
    return [ '|'.join(fmt(v) for v in r) for r in db.execute(stmts[-1]).fetchall() ]


def main():
    write = '--write' in sys.argv
    text = open('testdata/ops.test').read()
    cases = parse(text)
    lines = text.split('\n')
    bad = 0
    for c in reversed(cases):
        flags = c['head'].split()[2:]
        if 'batches' in flags or 'affected' in flags:
            continue
        try:
            rows = run(c['sql'])
            err = None
        except sqlite3.Error as e:
            rows, err = None, str(e)
        if 'error' in flags:
            if err is None:
                print('%s: SQLite did not fail (rows %s)' % (c['head'], rows))
                bad += 1
            continue
        if err is not None:
            print('%s: SQLite error %s' % (c['head'], err))
            bad += 1
            continue
        if 'sorted' in flags:
            rows.sort()
        if not rows:
            rows = ['(empty)']
        if rows != c['want']:
            if not write:
                print('%s:\n  want %s\n  sqlite %s' % (c['head'], c['want'], rows))
                bad += 1
            lines[c['start']:c['end']] = lines[c['start']:c['end'] - len(c['want'])] + rows
    if write:
        open('testdata/ops.test', 'w').write('\n'.join(lines))
    print('%d cases, %d differences' % (len(cases), bad))
    sys.exit(1 if bad else 0)


main()
