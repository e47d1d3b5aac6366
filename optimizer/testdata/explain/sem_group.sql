CREATE TABLE reviews(id INTEGER, product_id INTEGER, stars INTEGER, body TEXT, lang TEXT);
INSERT INTO reviews VALUES (1, 1, 5, 'great', 'en'), (2, 2, 1, 'awful', 'en'), (3, 1, 4, 'bien', 'fr');
CREATE TABLE products(id INTEGER, name TEXT, price REAL);
INSERT INTO products VALUES (1, 'lamp', 9.5), (2, 'desk', 120.0);
EXPLAIN SELECT topic, count(*) FROM reviews WHERE lang = 'en' GROUP BY "the topic of the review" AS topic;
