CREATE TABLE t(a INTEGER, b TEXT, c REAL);
INSERT INTO t VALUES (1, 'x', 1.0), (2, 'y', 2.0), (3, 'z', 3.0);
CREATE TABLE u(a INTEGER, d TEXT);
INSERT INTO u VALUES (1, 'p'), (2, 'q');
EXPLAIN SELECT b, count(*), sum(DISTINCT c) FROM t GROUP BY b HAVING count(*) > 1 ORDER BY 2;
