CREATE TABLE wide(c1 INTEGER, c2 TEXT, c3 REAL, c4 TEXT, c5 INTEGER, c6 BLOB);
INSERT INTO wide VALUES (1, 'a', 1.0, 'x', 5, X'00');
-- scans read only the columns something uses
EXPLAIN SELECT c2 FROM wide WHERE c5 > 1 ORDER BY c3;
