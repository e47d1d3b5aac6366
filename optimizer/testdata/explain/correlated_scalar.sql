CREATE TABLE t(a INTEGER, b TEXT, c REAL);
INSERT INTO t VALUES (1, 'x', 1.0), (2, 'y', 2.0), (3, 'z', 3.0);
CREATE TABLE u(a INTEGER, d TEXT);
INSERT INTO u VALUES (1, 'p'), (2, 'q');
-- a correlated scalar subquery in the select list and an uncorrelated one in WHERE
EXPLAIN SELECT b, (SELECT max(d) FROM u WHERE u.a <= t.a) FROM t WHERE c > (SELECT avg(a) FROM u);
