CREATE TABLE big(id INTEGER, m INTEGER);
INSERT INTO big VALUES (1, 1), (2, 1), (3, 2), (4, 2), (5, 3), (6, 3), (7, 4), (8, 4);
CREATE TABLE mid(m INTEGER, s INTEGER);
INSERT INTO mid VALUES (1, 1), (2, 1), (3, 2), (4, 2);
CREATE TABLE small(s INTEGER, name TEXT);
INSERT INTO small VALUES (1, 'one'), (2, 'two');
-- a comma join: smallest relation first, each next one joined by an equality
EXPLAIN SELECT big.id, small.name FROM big, mid, small WHERE big.m = mid.m AND mid.s = small.s;
