CREATE TABLE wide(c1 INTEGER, c2 TEXT, c3 REAL, c4 TEXT, c5 INTEGER, c6 BLOB);
-- count(*) needs no column at all
EXPLAIN SELECT count(*), max(c1) FROM wide GROUP BY c4;
