CREATE TABLE t(a INTEGER, b TEXT, c REAL);
INSERT INTO t VALUES (1, 'x', 1.0), (2, 'y', 2.0), (3, 'z', 3.0);
CREATE TABLE u(a INTEGER, d TEXT);
INSERT INTO u VALUES (1, 'p'), (2, 'q');
-- under OR an IN subquery cannot become a semi join; it stays a subquery
EXPLAIN SELECT b FROM t WHERE a IN (SELECT a FROM u) OR c > 2;
