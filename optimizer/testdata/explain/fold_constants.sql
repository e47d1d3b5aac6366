CREATE TABLE t(a INTEGER, b TEXT, c REAL);
INSERT INTO t VALUES (1, 'x', 1.0), (2, 'y', 2.0), (3, 'z', 3.0);
CREATE TABLE u(a INTEGER, d TEXT);
INSERT INTO u VALUES (1, 'p'), (2, 'q');
-- constant subexpressions are folded, in the select list and in filters
EXPLAIN SELECT a + 2 * 3, 'x' || 'y', abs(-4) FROM t WHERE a > 1 + 1 AND c < 10 / 4;
