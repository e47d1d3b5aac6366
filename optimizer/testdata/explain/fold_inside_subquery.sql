CREATE TABLE t(a INTEGER, b TEXT, c REAL);
INSERT INTO t VALUES (1, 'x', 1.0), (2, 'y', 2.0), (3, 'z', 3.0);
CREATE TABLE u(a INTEGER, d TEXT);
INSERT INTO u VALUES (1, 'p'), (2, 'q');
-- folding also reaches subquery plans
EXPLAIN SELECT a FROM t WHERE a IN (SELECT a + (1 + 1) FROM u WHERE d = 'p' || 'q');
