CREATE TABLE t(a INTEGER, b TEXT, c REAL);
INSERT INTO t VALUES (1, 'x', 1.0), (2, 'y', 2.0), (3, 'z', 3.0);
CREATE TABLE u(a INTEGER, d TEXT);
INSERT INTO u VALUES (1, 'p'), (2, 'q');
-- conjuncts of one side go below the join into that side's scan
EXPLAIN SELECT t.b, u.d FROM t JOIN u ON t.a = u.a WHERE t.c > 1.5 AND u.d LIKE 'q%';
