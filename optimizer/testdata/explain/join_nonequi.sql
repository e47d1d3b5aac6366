CREATE TABLE t(a INTEGER, b TEXT, c REAL);
INSERT INTO t VALUES (1, 'x', 1.0), (2, 'y', 2.0), (3, 'z', 3.0);
CREATE TABLE u(a INTEGER, d TEXT);
INSERT INTO u VALUES (1, 'p'), (2, 'q');
-- a condition that is not an equality stays on a nested-loop join
EXPLAIN SELECT t.a, u.a FROM t, u WHERE t.a < u.a AND t.b <> u.d;
