CREATE TABLE a1(x INTEGER, y INTEGER);
INSERT INTO a1 VALUES (1, 1), (2, 2), (3, 3), (4, 4), (5, 5);
CREATE TABLE a2(x INTEGER, y INTEGER);
INSERT INTO a2 VALUES (1, 1), (2, 2), (3, 3);
CREATE TABLE a3(x INTEGER, y INTEGER);
INSERT INTO a3 VALUES (1, 1), (2, 2), (3, 3), (4, 4);
CREATE TABLE a4(x INTEGER, y INTEGER);
INSERT INTO a4 VALUES (1, 1), (2, 2);
-- four relations, constant filters pushed into scans, keys on the equalities
EXPLAIN SELECT a1.x, a4.y FROM a1, a2, a3, a4 WHERE a1.y = a2.x AND a2.y = a3.x AND a3.y = a4.x AND a1.x > 1 AND a3.y < 4;
