CREATE TABLE t1(a1 INTEGER, b1 INTEGER, x1 TEXT);
CREATE TABLE t2(a2 INTEGER, b2 INTEGER, x2 TEXT);
CREATE TABLE t3(a3 INTEGER, b3 INTEGER, x3 TEXT);
CREATE TABLE t4(a4 INTEGER, b4 INTEGER, x4 TEXT);
CREATE TABLE t5(a5 INTEGER, b5 INTEGER, x5 TEXT);
CREATE TABLE t6(a6 INTEGER, b6 INTEGER, x6 TEXT);
INSERT INTO t1 VALUES (1, 1, 'a'), (2, 2, 'b'), (3, 3, 'c'), (4, 4, 'd'), (5, 5, 'e'), (6, 6, 'f');
INSERT INTO t2 VALUES (1, 1, 'a'), (2, 2, 'b'), (3, 3, 'c'), (4, 4, 'd'), (5, 5, 'e');
INSERT INTO t3 VALUES (1, 1, 'a'), (2, 2, 'b'), (3, 3, 'c'), (4, 4, 'd');
INSERT INTO t4 VALUES (1, 1, 'a'), (2, 2, 'b'), (3, 3, 'c');
INSERT INTO t5 VALUES (1, 1, 'a'), (2, 2, 'b');
INSERT INTO t6 VALUES (1, 1, 'a');
-- the shape of sqllogictest's select5.test: six tables, a chain of
-- equalities written in no useful order, and constant filters
EXPLAIN SELECT x1, x2, x3, x4, x5, x6 FROM t1, t2, t3, t4, t5, t6 WHERE a6 = b5 AND a3 = b2 AND a1 = 3 AND a5 = b4 AND a2 = b1 AND a4 = b3 AND b6 = a1 + 2;
