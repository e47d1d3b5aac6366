CREATE TABLE reviews(id INTEGER, product_id INTEGER, stars INTEGER, body TEXT, lang TEXT);
INSERT INTO reviews VALUES (1, 1, 5, 'great', 'en'), (2, 2, 1, 'awful', 'en'), (3, 1, 4, 'bien', 'fr');
CREATE TABLE products(id INTEGER, name TEXT, price REAL);
INSERT INTO products VALUES (1, 'lamp', 9.5), (2, 'desk', 120.0);
-- the structured conjuncts end up in the scan below the SemFilter, so the
-- model never judges a row they reject
EXPLAIN SELECT id FROM reviews WHERE "the review is positive" AND stars >= 4 AND lang = 'en';
