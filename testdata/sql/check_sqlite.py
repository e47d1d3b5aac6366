#!/usr/bin/env python3
"""Check (or fill in) the expected results of testdata/sql/*.test with SQLite.

    python3 testdata/sql/check_sqlite.py [--fill] [files...]

Every statement and query record runs, in order, on one in-memory SQLite
database per file (Python's sqlite3 module), and must behave as the file
says: "statement ok" succeeds, "statement error" fails, and a query gives
exactly the expected values, rendered and sorted as the sqllogictest runner
does ('I' %d, 'R' %.3f, 'T' text, NULL, (empty); rowsort/valuesort). With
--fill the expected block of every query is rewritten from SQLite instead.

A record preceded by a comment line "# uqe-only: why" is UQL-only (files read
by path, SET/SHOW, EXPLAIN, natural-language expressions, ...): SQLite does
not run it and its expected values are written by hand. The exit status is 1
when any record disagrees with SQLite.
"""
import glob
import os
import sqlite3
import sys


def render(t, v):
    if v is None:
        return "NULL"
    if t == "I":
        if isinstance(v, bool):
            return str(int(v))
        if isinstance(v, int):
            return str(v)
        if isinstance(v, float):
            return str(int(v))
        s = v.decode("latin-1") if isinstance(v, bytes) else v
        s = s.lstrip()
        n, i = "", 0
        if s[:1] in "+-":
            n, i = s[0], 1
        while i < len(s) and s[i].isdigit():
            n += s[i]
            i += 1
        try:
            return str(int(n))
        except ValueError:
            return "0"
    if t == "R":
        if isinstance(v, (bytes, str)):
            try:
                v = float(v)
            except ValueError:
                v = 0.0
        s = "%.3f" % float(v)
        return "0.000" if s == "-0.000" else s
    if isinstance(v, float):
        if v == int(v) and abs(v) < 1e15:
            s = "%.1f" % v
        else:
            s = "%.15g" % v
    elif isinstance(v, bytes):
        s = v
    else:
        s = str(v)
    if not isinstance(s, bytes):
        s = s.encode("utf-8")
    if s == b"":
        return "(empty)"
    # every byte outside printable ASCII is '@' (each byte of a UTF-8 character)
    return "".join(chr(c) if 0x20 <= c <= 0x7E else "@" for c in s)


def records(lines):
    """Yield (start, end) index ranges of blank-line separated records."""
    i = 0
    while i < len(lines):
        if lines[i].strip() == "":
            i += 1
            continue
        j = i
        while j < len(lines) and lines[j].strip() != "":
            j += 1
        yield i, j
        i = j


def check_file(path, fill):
    with open(path) as f:
        lines = f.read().split("\n")
    db = sqlite3.connect(":memory:", isolation_level=None)
    bad = 0
    out = []
    last = 0
    nrec = 0
    for s, e in records(lines):
        out.extend(lines[last:s])
        last = e
        rec = lines[s:e]
        body = [l for l in rec if not l.startswith("#")]
        uqe_only = any(l.startswith("# uqe-only") for l in rec)
        if not body:
            out.extend(rec)
            continue
        head = body[0].split()
        lineno = s + 1 + rec.index(body[0])
        if head[0] not in ("statement", "query"):
            out.extend(rec)
            continue
        nrec += 1
        if uqe_only:
            out.extend(rec)
            continue
        if head[0] == "statement":
            sql = "\n".join(body[1:])
            try:
                db.executescript(sql) if sql.count(";") > 1 else db.execute(sql)
                err = None
            except sqlite3.Error as x:
                err = x
            if (head[1] == "ok") != (err is None):
                print("%s:%d: statement %s but SQLite says %s" % (path, lineno, head[1], err or "ok"))
                bad += 1
            out.extend(rec)
            continue
        types = head[1]
        sort = head[2] if len(head) > 2 else "nosort"
        sep = body.index("----") if "----" in body else len(body)
        sql = "\n".join(body[1:sep])
        try:
            cur = db.execute(sql)
            rows = cur.fetchall()
            ncol = len(cur.description)
        except sqlite3.Error as x:
            print("%s:%d: query fails in SQLite: %s" % (path, lineno, x))
            bad += 1
            out.extend(rec)
            continue
        if ncol != len(types):
            print("%s:%d: %d columns, type string %s" % (path, lineno, ncol, types))
            bad += 1
        vals = []
        rendered_rows = [[render(types[i], v) for i, v in enumerate(r)] for r in rows]
        if sort == "rowsort":
            rendered_rows.sort()
        for r in rendered_rows:
            vals.extend(r)
        if sort == "valuesort":
            vals.sort()
        exp = body[sep + 1:]
        if fill:
            # keep the leading comment lines and the query, rewrite the block
            pre = rec[: rec.index(body[0])]
            out.extend(pre + body[:sep] + ["----"] + vals)
            continue
        if exp != vals:
            print("%s:%d: expected %s, SQLite gives %s" % (path, lineno, exp, vals))
            bad += 1
        out.extend(rec)
    out.extend(lines[last:])
    if fill:
        with open(path, "w") as f:
            f.write("\n".join(out))
    return nrec, bad


def main():
    args = sys.argv[1:]
    fill = "--fill" in args
    files = [a for a in args if a != "--fill"]
    here = os.path.dirname(os.path.abspath(__file__))
    if not files:
        files = sorted(glob.glob(os.path.join(here, "*.test")))
    files = [os.path.abspath(p) for p in files]
    # paths in the files are relative to the repository root
    os.chdir(os.path.dirname(os.path.dirname(here)))
    total = bad = 0
    for p in files:
        n, b = check_file(p, fill)
        print("%s: %d records, %d disagree with SQLite %s" % (os.path.basename(p), n, b, sqlite3.sqlite_version))
        total += n
        bad += b
    print("total: %d records, %d disagree" % (total, bad))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
