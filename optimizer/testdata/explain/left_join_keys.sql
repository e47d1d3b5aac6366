CREATE TABLE t(a INTEGER, b TEXT, c REAL);
INSERT INTO t VALUES (1, 'x', 1.0), (2, 'y', 2.0), (3, 'z', 3.0);
CREATE TABLE u(a INTEGER, d TEXT);
INSERT INTO u VALUES (1, 'p'), (2, 'q');
-- LEFT JOIN keeps its order; its ON equalities become hash keys
EXPLAIN SELECT t.b, u.d FROM t LEFT JOIN u ON u.a = t.a AND u.d <> 'x';
