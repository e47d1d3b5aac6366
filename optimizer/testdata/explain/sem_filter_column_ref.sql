CREATE TABLE reviews(id INTEGER, product_id INTEGER, stars INTEGER, body TEXT, lang TEXT);
INSERT INTO reviews VALUES (1, 1, 5, 'great', 'en'), (2, 2, 1, 'awful', 'en'), (3, 1, 4, 'bien', 'fr');
CREATE TABLE products(id INTEGER, name TEXT, price REAL);
INSERT INTO products VALUES (1, 'lamp', 9.5), (2, 'desk', 120.0);
-- a {column} reference names the columns the model sees
EXPLAIN SELECT id FROM reviews WHERE "{body} mentions a refund" AND id > 1;
