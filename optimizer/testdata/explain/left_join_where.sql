CREATE TABLE t(a INTEGER, b TEXT, c REAL);
INSERT INTO t VALUES (1, 'x', 1.0), (2, 'y', 2.0), (3, 'z', 3.0);
CREATE TABLE u(a INTEGER, d TEXT);
INSERT INTO u VALUES (1, 'p'), (2, 'q');
-- a WHERE on the right side of a LEFT JOIN stays above the join
EXPLAIN SELECT t.b, u.d FROM t LEFT JOIN u ON t.a = u.a WHERE u.d IS NULL AND t.a > 1;
