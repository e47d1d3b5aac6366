CREATE TABLE t(a INTEGER, b TEXT, c REAL);
INSERT INTO t VALUES (1, 'x', 1.0), (2, 'y', 2.0), (3, 'z', 3.0);
CREATE TABLE u(a INTEGER, d TEXT);
INSERT INTO u VALUES (1, 'p'), (2, 'q');
-- a correlated EXISTS is a subquery reading the outer t.a
EXPLAIN SELECT b FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.a = t.a AND u.d <> 'q');
