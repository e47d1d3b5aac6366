CREATE TABLE t(a INTEGER, b TEXT, c REAL);
INSERT INTO t VALUES (1, 'x', 1.0), (2, 'y', 2.0), (3, 'z', 3.0);
CREATE TABLE u(a INTEGER, d TEXT);
INSERT INTO u VALUES (1, 'p'), (2, 'q');
-- single-table conjuncts become scan filters
EXPLAIN SELECT b FROM t WHERE a > 1 AND b <> 'z' AND c * 2 < 5;
