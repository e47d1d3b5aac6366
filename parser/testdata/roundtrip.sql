-- Round-trip corpus for the UQL parser (parse -> Format -> parse must give the same tree).
-- Most statements are sampled from SQLite's sqllogictest corpus
-- (github.com/gregrahn/sqllogictest at d8d4f4b9a351102ec63196a920e8052f4f025509),
-- used under CC0/MIT as its COPYRIGHT allows; the rest are UQL examples.
-- from select1.test
SELECT b,
       (SELECT count(*) FROM t1 AS x WHERE x.c>t1.c AND x.d<t1.d)
  FROM t1
 WHERE (e>a AND e<b)
    OR c>d
 ORDER BY 1,2;
SELECT abs(a),
       CASE WHEN c>(SELECT avg(c) FROM t1) THEN a*2 ELSE b*10 END,
       a+b*2+c*3+d*4,
       e,
       d,
       a,
       b-c
  FROM t1
 WHERE e+d BETWEEN a+b-10 AND c+130
    OR (e>c OR e<d)
 ORDER BY 5,1,7,2,3,6,4;
SELECT a+b*2+c*3+d*4,
       b,
       a-b
  FROM t1
 WHERE c>d
    OR d>e
    OR b>c
 ORDER BY 3,1,2;
SELECT (a+b+c+d+e)/5,
       a,
       (SELECT count(*) FROM t1 AS x WHERE x.c>t1.c AND x.d<t1.d),
       b-c,
       a+b*2+c*3+d*4+e*5,
       (SELECT count(*) FROM t1 AS x WHERE x.b<t1.b)
  FROM t1
 WHERE (a>b-2 AND a<b+2)
 ORDER BY 6,4,5,1,2,3;
SELECT c-d,
       abs(b-c),
       e,
       (SELECT count(*) FROM t1 AS x WHERE x.c>t1.c AND x.d<t1.d)
  FROM t1
 WHERE a>b
   AND e+d BETWEEN a+b-10 AND c+130
   AND (e>a AND e<b)
 ORDER BY 3,4,1,2;
SELECT CASE WHEN a<b-3 THEN 111 WHEN a<=b THEN 222
        WHEN a<b+3 THEN 333 ELSE 444 END,
       c,
       (SELECT count(*) FROM t1 AS x WHERE x.b<t1.b),
       b-c,
       b,
       CASE a+1 WHEN b THEN 111 WHEN c THEN 222
        WHEN d THEN 333  WHEN e THEN 444 ELSE 555 END,
       a+b*2
  FROM t1
 ORDER BY 4,3,5,1,6,2,7;
SELECT a,
       c-d,
       d
  FROM t1
 WHERE c>d
   AND a>b
   AND (a>b-2 AND a<b+2)
 ORDER BY 1,2,3;
SELECT CASE WHEN a<b-3 THEN 111 WHEN a<=b THEN 222
        WHEN a<b+3 THEN 333 ELSE 444 END,
       a-b,
       a+b*2
  FROM t1
 ORDER BY 2,3,1;
SELECT a,
       (SELECT count(*) FROM t1 AS x WHERE x.b<t1.b),
       b,
       a-b
  FROM t1
 WHERE EXISTS(SELECT 1 FROM t1 AS x WHERE x.b<t1.b)
    OR (a>b-2 AND a<b+2)
 ORDER BY 1,3,2,4;
SELECT c-d,
       (SELECT count(*) FROM t1 AS x WHERE x.b<t1.b),
       c,
       a+b*2+c*3+d*4+e*5
  FROM t1
 WHERE (e>a AND e<b)
 ORDER BY 3,2,4,1;
SELECT (SELECT count(*) FROM t1 AS x WHERE x.c>t1.c AND x.d<t1.d)
  FROM t1
 ORDER BY 1;
SELECT (SELECT count(*) FROM t1 AS x WHERE x.b<t1.b),
       abs(b-c),
       CASE a+1 WHEN b THEN 111 WHEN c THEN 222
        WHEN d THEN 333  WHEN e THEN 444 ELSE 555 END
  FROM t1
 ORDER BY 1,2,3;
SELECT (SELECT count(*) FROM t1 AS x WHERE x.b<t1.b)
  FROM t1
 WHERE e+d BETWEEN a+b-10 AND c+130
   AND a>b
   AND (a>b-2 AND a<b+2)
 ORDER BY 1;
SELECT c,
       CASE WHEN c>(SELECT avg(c) FROM t1) THEN a*2 ELSE b*10 END,
       d-e,
       CASE a+1 WHEN b THEN 111 WHEN c THEN 222
        WHEN d THEN 333  WHEN e THEN 444 ELSE 555 END,
       CASE WHEN a<b-3 THEN 111 WHEN a<=b THEN 222
        WHEN a<b+3 THEN 333 ELSE 444 END
  FROM t1
 WHERE b>c
   AND a>b
 ORDER BY 3,4,2,5,1;
SELECT abs(b-c),
       (SELECT count(*) FROM t1 AS x WHERE x.c>t1.c AND x.d<t1.d),
       d-e,
       a-b
  FROM t1
 ORDER BY 1,3,4,2;
SELECT abs(a),
       abs(b-c),
       c,
       a-b,
       c-d,
       a+b*2+c*3+d*4,
       b
  FROM t1
 ORDER BY 2,6,7,4,1,5,3;
SELECT (SELECT count(*) FROM t1 AS x WHERE x.b<t1.b)
  FROM t1
 WHERE (a>b-2 AND a<b+2)
    OR c>d
 ORDER BY 1;
SELECT b-c,
       d-e,
       c-d,
       a+b*2+c*3
  FROM t1
 ORDER BY 1,2,4,3;
SELECT (a+b+c+d+e)/5,
       CASE WHEN c>(SELECT avg(c) FROM t1) THEN a*2 ELSE b*10 END,
       abs(a),
       a+b*2
  FROM t1
 WHERE EXISTS(SELECT 1 FROM t1 AS x WHERE x.b<t1.b)
    OR c BETWEEN b-2 AND d+2
 ORDER BY 2,4,3,1;
SELECT (SELECT count(*) FROM t1 AS x WHERE x.c>t1.c AND x.d<t1.d),
       c-d,
       CASE a+1 WHEN b THEN 111 WHEN c THEN 222
        WHEN d THEN 333  WHEN e THEN 444 ELSE 555 END,
       CASE WHEN c>(SELECT avg(c) FROM t1) THEN a*2 ELSE b*10 END,
       b-c,
       a+b*2+c*3+d*4,
       (a+b+c+d+e)/5
  FROM t1
 WHERE EXISTS(SELECT 1 FROM t1 AS x WHERE x.b<t1.b)
   AND (c<=d-2 OR c>=d+2)
 ORDER BY 5,1,2,4,3,6,7;
SELECT a-b,
       a+b*2,
       (SELECT count(*) FROM t1 AS x WHERE x.c>t1.c AND x.d<t1.d),
       d-e
  FROM t1
 WHERE d>e
    OR (e>a AND e<b)
 ORDER BY 4,1,3,2;
SELECT CASE WHEN a<b-3 THEN 111 WHEN a<=b THEN 222
        WHEN a<b+3 THEN 333 ELSE 444 END,
       d-e
  FROM t1
 WHERE b>c
   AND d>e
   AND (c<=d-2 OR c>=d+2)
 ORDER BY 1,2;
SELECT abs(a),
       c,
       CASE a+1 WHEN b THEN 111 WHEN c THEN 222
        WHEN d THEN 333  WHEN e THEN 444 ELSE 555 END,
       a+b*2,
       d-e
  FROM t1
 WHERE c BETWEEN b-2 AND d+2
   AND d>e
   AND d NOT BETWEEN 110 AND 150
 ORDER BY 5,3,1,4,2;
SELECT c-d,
       a+b*2+c*3+d*4,
       d,
       a-b,
       CASE a+1 WHEN b THEN 111 WHEN c THEN 222
        WHEN d THEN 333  WHEN e THEN 444 ELSE 555 END
  FROM t1
 ORDER BY 2,1,5,3,4;
SELECT a+b*2+c*3+d*4+e*5,
       (SELECT count(*) FROM t1 AS x WHERE x.c>t1.c AND x.d<t1.d),
       CASE WHEN c>(SELECT avg(c) FROM t1) THEN a*2 ELSE b*10 END,
       c,
       d
  FROM t1
 WHERE (a>b-2 AND a<b+2)
 ORDER BY 4,5,2,1,3;
SELECT CASE a+1 WHEN b THEN 111 WHEN c THEN 222
        WHEN d THEN 333  WHEN e THEN 444 ELSE 555 END,
       b,
       a+b*2,
       (SELECT count(*) FROM t1 AS x WHERE x.b<t1.b),
       CASE WHEN a<b-3 THEN 111 WHEN a<=b THEN 222
        WHEN a<b+3 THEN 333 ELSE 444 END
  FROM t1
 WHERE a>b
    OR c BETWEEN b-2 AND d+2
    OR c>d
 ORDER BY 3,2,1,4,5;
SELECT b-c,
       a,
       a+b*2+c*3+d*4,
       d
  FROM t1
 WHERE (a>b-2 AND a<b+2)
   AND c>d
   AND d>e
 ORDER BY 4,2,3,1;
SELECT d-e,
       a+b*2+c*3,
       a-b,
       CASE WHEN c>(SELECT avg(c) FROM t1) THEN a*2 ELSE b*10 END
  FROM t1
 WHERE d>e
    OR (e>a AND e<b)
    OR (c<=d-2 OR c>=d+2)
 ORDER BY 3,4,1,2;
SELECT (a+b+c+d+e)/5,
       a-b,
       b,
       a+b*2,
       a
  FROM t1
 WHERE (a>b-2 AND a<b+2)
   AND (e>c OR e<d)
   AND d>e
 ORDER BY 4,2,5,3,1;
SELECT CASE WHEN c>(SELECT avg(c) FROM t1) THEN a*2 ELSE b*10 END,
       a+b*2+c*3+d*4,
       CASE a+1 WHEN b THEN 111 WHEN c THEN 222
        WHEN d THEN 333  WHEN e THEN 444 ELSE 555 END,
       a+b*2+c*3+d*4+e*5,
       c-d
  FROM t1
 ORDER BY 4,1,2,3,5;
SELECT (SELECT count(*) FROM t1 AS x WHERE x.c>t1.c AND x.d<t1.d),
       abs(a),
       a+b*2+c*3+d*4,
       (a+b+c+d+e)/5,
       e,
       b,
       CASE WHEN a<b-3 THEN 111 WHEN a<=b THEN 222
        WHEN a<b+3 THEN 333 ELSE 444 END
  FROM t1
 WHERE e+d BETWEEN a+b-10 AND c+130
    OR (a>b-2 AND a<b+2)
    OR b>c
 ORDER BY 2,1,3,7,5,4,6;
SELECT a+b*2+c*3+d*4,
       d-e,
       a,
       CASE a+1 WHEN b THEN 111 WHEN c THEN 222
        WHEN d THEN 333  WHEN e THEN 444 ELSE 555 END,
       (a+b+c+d+e)/5,
       abs(b-c)
  FROM t1
 ORDER BY 2,4,3,1,5,6;
SELECT d,
       CASE WHEN c>(SELECT avg(c) FROM t1) THEN a*2 ELSE b*10 END,
       b,
       c,
       e
  FROM t1
 WHERE b>c
 ORDER BY 1,2,4,3,5;
SELECT a+b*2,
       abs(a),
       d,
       (SELECT count(*) FROM t1 AS x WHERE x.b<t1.b),
       b-c
  FROM t1
 WHERE b>c
 ORDER BY 5,1,3,2,4;
SELECT e,
       abs(b-c),
       (SELECT count(*) FROM t1 AS x WHERE x.b<t1.b)
  FROM t1
 ORDER BY 1,2,3;
SELECT a-b,
       (SELECT count(*) FROM t1 AS x WHERE x.b<t1.b),
       CASE WHEN c>(SELECT avg(c) FROM t1) THEN a*2 ELSE b*10 END
  FROM t1
 ORDER BY 3,2,1;
SELECT a,
       a+b*2+c*3+d*4+e*5,
       c-d,
       CASE WHEN c>(SELECT avg(c) FROM t1) THEN a*2 ELSE b*10 END,
       b-c,
       a+b*2
  FROM t1
 ORDER BY 6,2,4,5,3,1;
SELECT a+b*2+c*3+d*4+e*5,
       b,
       (SELECT count(*) FROM t1 AS x WHERE x.b<t1.b),
       e
  FROM t1
 ORDER BY 2,3,4,1;
SELECT a+b*2,
       c,
       CASE WHEN c>(SELECT avg(c) FROM t1) THEN a*2 ELSE b*10 END,
       d
  FROM t1
 WHERE d NOT BETWEEN 110 AND 150
 ORDER BY 1,3,2,4;
SELECT CASE WHEN c>(SELECT avg(c) FROM t1) THEN a*2 ELSE b*10 END,
       a+b*2+c*3+d*4+e*5,
       abs(b-c),
       b-c,
       CASE a+1 WHEN b THEN 111 WHEN c THEN 222
        WHEN d THEN 333  WHEN e THEN 444 ELSE 555 END,
       a-b
  FROM t1
 WHERE b>c
   AND a>b
   AND d NOT BETWEEN 110 AND 150
 ORDER BY 2,1,6,4,3,5;
SELECT a+b*2+c*3,
       c-d,
       CASE a+1 WHEN b THEN 111 WHEN c THEN 222
        WHEN d THEN 333  WHEN e THEN 444 ELSE 555 END,
       a,
       (a+b+c+d+e)/5,
       a+b*2,
       CASE WHEN c>(SELECT avg(c) FROM t1) THEN a*2 ELSE b*10 END
  FROM t1
 ORDER BY 3,2,5,7,1,6,4;
SELECT b-c,
       CASE WHEN c>(SELECT avg(c) FROM t1) THEN a*2 ELSE b*10 END
  FROM t1
 WHERE (e>a AND e<b)
   AND c BETWEEN b-2 AND d+2
   AND d>e
 ORDER BY 1,2;
SELECT abs(b-c),
       c-d,
       a,
       CASE WHEN a<b-3 THEN 111 WHEN a<=b THEN 222
        WHEN a<b+3 THEN 333 ELSE 444 END,
       a-b
  FROM t1
 WHERE EXISTS(SELECT 1 FROM t1 AS x WHERE x.b<t1.b)
    OR b>c
 ORDER BY 4,2,1,5,3;
SELECT (a+b+c+d+e)/5,
       c
  FROM t1
 WHERE (c<=d-2 OR c>=d+2)
 ORDER BY 1,2;
SELECT CASE a+1 WHEN b THEN 111 WHEN c THEN 222
        WHEN d THEN 333  WHEN e THEN 444 ELSE 555 END
  FROM t1
 WHERE (a>b-2 AND a<b+2)
 ORDER BY 1;
SELECT c-d,
       CASE WHEN a<b-3 THEN 111 WHEN a<=b THEN 222
        WHEN a<b+3 THEN 333 ELSE 444 END,
       a+b*2,
       a,
       abs(b-c),
       a+b*2+c*3+d*4+e*5,
       (SELECT count(*) FROM t1 AS x WHERE x.c>t1.c AND x.d<t1.d)
  FROM t1
 WHERE c BETWEEN b-2 AND d+2
    OR b>c
 ORDER BY 3,5,4,2,6,7,1;
SELECT c,
       a+b*2+c*3,
       c-d,
       abs(b-c),
       d-e
  FROM t1
 ORDER BY 3,4,1,2,5;
SELECT b-c,
       c,
       CASE WHEN c>(SELECT avg(c) FROM t1) THEN a*2 ELSE b*10 END,
       (SELECT count(*) FROM t1 AS x WHERE x.b<t1.b),
       c-d
  FROM t1
 WHERE c>d
    OR (a>b-2 AND a<b+2)
    OR b>c
 ORDER BY 1,3,5,2,4;
SELECT b,
       (SELECT count(*) FROM t1 AS x WHERE x.b<t1.b),
       (a+b+c+d+e)/5
  FROM t1
 WHERE d>e
    OR (a>b-2 AND a<b+2)
    OR EXISTS(SELECT 1 FROM t1 AS x WHERE x.b<t1.b)
 ORDER BY 2,1,3;
SELECT CASE WHEN a<b-3 THEN 111 WHEN a<=b THEN 222
        WHEN a<b+3 THEN 333 ELSE 444 END
  FROM t1
 WHERE (e>a AND e<b)
   AND c BETWEEN b-2 AND d+2
   AND (c<=d-2 OR c>=d+2)
 ORDER BY 1;
SELECT d,
       b,
       (a+b+c+d+e)/5
  FROM t1
 WHERE (e>c OR e<d)
 ORDER BY 1,3,2;
SELECT CASE a+1 WHEN b THEN 111 WHEN c THEN 222
        WHEN d THEN 333  WHEN e THEN 444 ELSE 555 END,
       d-e,
       (SELECT count(*) FROM t1 AS x WHERE x.c>t1.c AND x.d<t1.d),
       a+b*2+c*3,
       a+b*2+c*3+d*4+e*5
  FROM t1
 WHERE (c<=d-2 OR c>=d+2)
   AND a>b
   AND (e>c OR e<d)
 ORDER BY 2,5,3,4,1;
SELECT (SELECT count(*) FROM t1 AS x WHERE x.b<t1.b),
       a+b*2,
       (SELECT count(*) FROM t1 AS x WHERE x.c>t1.c AND x.d<t1.d),
       CASE WHEN c>(SELECT avg(c) FROM t1) THEN a*2 ELSE b*10 END,
       d,
       b
  FROM t1
 WHERE c BETWEEN b-2 AND d+2
    OR (e>a AND e<b)
 ORDER BY 6,3,1,5,4,2;
SELECT abs(b-c),
       e
  FROM t1
 WHERE c>d
 ORDER BY 1,2;
SELECT b,
       c,
       a-b,
       d-e,
       a+b*2+c*3+d*4
  FROM t1
 WHERE d>e
    OR c BETWEEN b-2 AND d+2
 ORDER BY 2,1,4,3,5;
SELECT abs(b-c),
       a+b*2+c*3+d*4,
       c-d,
       a+b*2+c*3+d*4+e*5
  FROM t1
 ORDER BY 4,1,3,2;
SELECT CASE a+1 WHEN b THEN 111 WHEN c THEN 222
        WHEN d THEN 333  WHEN e THEN 444 ELSE 555 END,
       abs(b-c),
       c-d,
       a
  FROM t1
 WHERE (a>b-2 AND a<b+2)
   AND (e>c OR e<d)
   AND c>d
 ORDER BY 3,4,2,1;
SELECT a+b*2+c*3+d*4,
       a+b*2+c*3+d*4+e*5,
       a,
       a+b*2
  FROM t1
 WHERE (c<=d-2 OR c>=d+2)
    OR a>b
    OR b>c
 ORDER BY 3,1,2,4;
SELECT a+b*2,
       CASE a+1 WHEN b THEN 111 WHEN c THEN 222
        WHEN d THEN 333  WHEN e THEN 444 ELSE 555 END,
       b,
       a-b,
       b-c,
       d
  FROM t1
 WHERE d NOT BETWEEN 110 AND 150
    OR (c<=d-2 OR c>=d+2)
    OR (e>a AND e<b)
 ORDER BY 2,6,1,4,3,5;
SELECT CASE WHEN a<b-3 THEN 111 WHEN a<=b THEN 222
        WHEN a<b+3 THEN 333 ELSE 444 END,
       a+b*2+c*3+d*4+e*5
  FROM t1
 WHERE c BETWEEN b-2 AND d+2
   AND d>e
 ORDER BY 1,2;
-- from select2.test
SELECT d
  FROM t1
 WHERE coalesce(a,b,c,d,e)<>0
   AND d NOT BETWEEN 110 AND 150;
SELECT d,
       b-c,
       a-b,
       (SELECT count(*) FROM t1 AS x WHERE x.b<t1.b),
       a,
       a+b*2
  FROM t1
 WHERE c BETWEEN b-2 AND d+2;
SELECT a+b*2+c*3,
       c-d
  FROM t1
 WHERE b IS NOT NULL
    OR coalesce(a,b,c,d,e)<>0
    OR d NOT BETWEEN 110 AND 150;
SELECT b,
       (a+b+c+d+e)/5,
       a-b,
       a+b*2+c*3+d*4+e*5,
       CASE WHEN a<b-3 THEN 111 WHEN a<=b THEN 222
        WHEN a<b+3 THEN 333 ELSE 444 END,
       d-e
  FROM t1
 WHERE d>e;
SELECT CASE WHEN c>(SELECT avg(c) FROM t1) THEN a*2 ELSE b*10 END,
       abs(a),
       CASE a+1 WHEN b THEN 111 WHEN c THEN 222
        WHEN d THEN 333  WHEN e THEN 444 ELSE 555 END,
       a+b*2,
       a,
       d-e,
       d
  FROM t1
 WHERE a IS NULL
   AND d>e;
SELECT a+b*2+c*3+d*4,
       CASE WHEN c>(SELECT avg(c) FROM t1) THEN a*2 ELSE b*10 END,
       b,
       d,
       c-d,
       a+b*2
  FROM t1
 WHERE a>b
    OR (c<=d-2 OR c>=d+2)
    OR a IS NULL;
SELECT a+b*2+c*3
  FROM t1
 WHERE coalesce(a,b,c,d,e)<>0
   AND d>e;
SELECT c-d
  FROM t1
 WHERE a>b;
SELECT a+b*2+c*3+d*4,
       a,
       b,
       abs(b-c)
  FROM t1
 WHERE coalesce(a,b,c,d,e)<>0;
SELECT c-d,
       a,
       a+b*2,
       abs(a),
       (a+b+c+d+e)/5,
       c
  FROM t1
 WHERE a IS NULL
    OR (c<=d-2 OR c>=d+2)
    OR b>c;
SELECT a+b*2,
       abs(a)
  FROM t1
 WHERE d NOT BETWEEN 110 AND 150;
SELECT a+b*2+c*3,
       a+b*2+c*3+d*4,
       a+b*2,
       d-e,
       CASE WHEN c>(SELECT avg(c) FROM t1) THEN a*2 ELSE b*10 END,
       CASE a+1 WHEN b THEN 111 WHEN c THEN 222
        WHEN d THEN 333  WHEN e THEN 444 ELSE 555 END,
       CASE WHEN a<b-3 THEN 111 WHEN a<=b THEN 222
        WHEN a<b+3 THEN 333 ELSE 444 END
  FROM t1
 WHERE c BETWEEN b-2 AND d+2
   AND EXISTS(SELECT 1 FROM t1 AS x WHERE x.b<t1.b)
   AND b IS NOT NULL;
SELECT c,
       c-d,
       a,
       CASE WHEN a<b-3 THEN 111 WHEN a<=b THEN 222
        WHEN a<b+3 THEN 333 ELSE 444 END
  FROM t1;
SELECT abs(b-c)
  FROM t1
 WHERE a IS NULL
   AND e+d BETWEEN a+b-10 AND c+130;
SELECT (a+b+c+d+e)/5,
       abs(b-c),
       c-d,
       CASE a+1 WHEN b THEN 111 WHEN c THEN 222
        WHEN d THEN 333  WHEN e THEN 444 ELSE 555 END,
       a,
       b,
       abs(a)
  FROM t1
 WHERE c>d
    OR c BETWEEN b-2 AND d+2;
SELECT c
  FROM t1
 WHERE b>c
    OR b IS NOT NULL
    OR EXISTS(SELECT 1 FROM t1 AS x WHERE x.b<t1.b);
SELECT (a+b+c+d+e)/5,
       a+b*2,
       (SELECT count(*) FROM t1 AS x WHERE x.b<t1.b),
       CASE WHEN a<b-3 THEN 111 WHEN a<=b THEN 222
        WHEN a<b+3 THEN 333 ELSE 444 END,
       a
  FROM t1;
SELECT abs(b-c),
       abs(a),
       a+b*2+c*3+d*4+e*5,
       a+b*2+c*3,
       c-d
  FROM t1
 WHERE (e>c OR e<d)
    OR coalesce(a,b,c,d,e)<>0;
SELECT a,
       c
  FROM t1
 WHERE c BETWEEN b-2 AND d+2
   AND a IS NULL
   AND (a>b-2 AND a<b+2);
SELECT e,
       d-e,
       a+b*2+c*3+d*4,
       c,
       d,
       a-b,
       abs(b-c)
  FROM t1
 WHERE e+d BETWEEN a+b-10 AND c+130;
SELECT (a+b+c+d+e)/5
  FROM t1
 WHERE b IS NOT NULL
   AND b>c;
SELECT (a+b+c+d+e)/5,
       c-d,
       CASE WHEN a<b-3 THEN 111 WHEN a<=b THEN 222
        WHEN a<b+3 THEN 333 ELSE 444 END,
       CASE WHEN c>(SELECT avg(c) FROM t1) THEN a*2 ELSE b*10 END,
       a,
       c
  FROM t1
 WHERE (e>c OR e<d);
SELECT b-c,
       a+b*2,
       b,
       CASE WHEN a<b-3 THEN 111 WHEN a<=b THEN 222
        WHEN a<b+3 THEN 333 ELSE 444 END,
       (SELECT count(*) FROM t1 AS x WHERE x.b<t1.b)
  FROM t1
 WHERE (e>c OR e<d);
SELECT a+b*2
  FROM t1
 WHERE a>b
   AND coalesce(a,b,c,d,e)<>0
   AND a IS NULL;
SELECT e,
       (SELECT count(*) FROM t1 AS x WHERE x.c>t1.c AND x.d<t1.d)
  FROM t1;
SELECT CASE a+1 WHEN b THEN 111 WHEN c THEN 222
        WHEN d THEN 333  WHEN e THEN 444 ELSE 555 END
  FROM t1
 WHERE (e>c OR e<d);
SELECT a,
       d-e,
       e,
       a+b*2+c*3,
       abs(b-c),
       c,
       CASE WHEN c>(SELECT avg(c) FROM t1) THEN a*2 ELSE b*10 END
  FROM t1
 WHERE (a>b-2 AND a<b+2)
    OR c>d;
SELECT (SELECT count(*) FROM t1 AS x WHERE x.b<t1.b),
       CASE WHEN a<b-3 THEN 111 WHEN a<=b THEN 222
        WHEN a<b+3 THEN 333 ELSE 444 END
  FROM t1
 WHERE c>d;
SELECT b
  FROM t1
 WHERE EXISTS(SELECT 1 FROM t1 AS x WHERE x.b<t1.b);
SELECT a+b*2,
       (SELECT count(*) FROM t1 AS x WHERE x.b<t1.b),
       e
  FROM t1;
SELECT abs(b-c),
       d,
       a+b*2+c*3+d*4+e*5,
       a-b,
       c-d,
       CASE WHEN c>(SELECT avg(c) FROM t1) THEN a*2 ELSE b*10 END,
       (a+b+c+d+e)/5
  FROM t1
 WHERE d>e;
SELECT (a+b+c+d+e)/5
  FROM t1
 WHERE c BETWEEN b-2 AND d+2
   AND a IS NULL
   AND d NOT BETWEEN 110 AND 150;
SELECT d-e,
       a-b,
       CASE WHEN c>(SELECT avg(c) FROM t1) THEN a*2 ELSE b*10 END,
       a+b*2,
       abs(b-c),
       c-d
  FROM t1
 WHERE (e>a AND e<b)
    OR a IS NULL
    OR c>d;
SELECT CASE a+1 WHEN b THEN 111 WHEN c THEN 222
        WHEN d THEN 333  WHEN e THEN 444 ELSE 555 END,
       d,
       CASE WHEN c>(SELECT avg(c) FROM t1) THEN a*2 ELSE b*10 END,
       b-c
  FROM t1;
SELECT CASE a+1 WHEN b THEN 111 WHEN c THEN 222
        WHEN d THEN 333  WHEN e THEN 444 ELSE 555 END,
       CASE WHEN a<b-3 THEN 111 WHEN a<=b THEN 222
        WHEN a<b+3 THEN 333 ELSE 444 END,
       e
  FROM t1
 WHERE c BETWEEN b-2 AND d+2;
SELECT a+b*2+c*3+d*4
  FROM t1
 WHERE (a>b-2 AND a<b+2);
SELECT b-c,
       a+b*2+c*3+d*4+e*5
  FROM t1;
SELECT (a+b+c+d+e)/5,
       e,
       (SELECT count(*) FROM t1 AS x WHERE x.c>t1.c AND x.d<t1.d)
  FROM t1
 WHERE (a>b-2 AND a<b+2)
    OR (e>a AND e<b);
SELECT (SELECT count(*) FROM t1 AS x WHERE x.b<t1.b),
       d,
       b-c,
       c-d,
       CASE a+1 WHEN b THEN 111 WHEN c THEN 222
        WHEN d THEN 333  WHEN e THEN 444 ELSE 555 END,
       b,
       abs(b-c)
  FROM t1;
SELECT e,
       a+b*2+c*3,
       a+b*2,
       a,
       abs(b-c),
       CASE WHEN c>(SELECT avg(c) FROM t1) THEN a*2 ELSE b*10 END,
       b
  FROM t1
 WHERE b>c;
SELECT a,
       a-b
  FROM t1
 WHERE EXISTS(SELECT 1 FROM t1 AS x WHERE x.b<t1.b);
SELECT abs(a),
       (a+b+c+d+e)/5,
       a+b*2,
       c,
       b,
       d
  FROM t1
 WHERE e+d BETWEEN a+b-10 AND c+130
   AND (c<=d-2 OR c>=d+2);
SELECT a+b*2+c*3+d*4
  FROM t1
 WHERE (e>c OR e<d)
   AND (a>b-2 AND a<b+2);
SELECT (a+b+c+d+e)/5,
       a+b*2
  FROM t1
 WHERE e+d BETWEEN a+b-10 AND c+130;
SELECT a+b*2+c*3,
       a+b*2+c*3+d*4+e*5,
       d,
       CASE WHEN c>(SELECT avg(c) FROM t1) THEN a*2 ELSE b*10 END,
       abs(b-c)
  FROM t1
 WHERE c BETWEEN b-2 AND d+2
   AND a IS NULL
   AND d>e;
SELECT (a+b+c+d+e)/5
  FROM t1
 WHERE (e>c OR e<d);
SELECT d-e,
       a+b*2+c*3+d*4+e*5,
       b-c,
       a,
       d,
       b
  FROM t1
 WHERE b IS NOT NULL
    OR d NOT BETWEEN 110 AND 150;
SELECT abs(a),
       b,
       abs(b-c),
       a+b*2+c*3,
       CASE a+1 WHEN b THEN 111 WHEN c THEN 222
        WHEN d THEN 333  WHEN e THEN 444 ELSE 555 END,
       a+b*2
  FROM t1
 WHERE (a>b-2 AND a<b+2);
SELECT d,
       (SELECT count(*) FROM t1 AS x WHERE x.b<t1.b),
       abs(b-c),
       c-d,
       CASE a+1 WHEN b THEN 111 WHEN c THEN 222
        WHEN d THEN 333  WHEN e THEN 444 ELSE 555 END,
       a+b*2,
       b-c
  FROM t1
 WHERE b>c
   AND (e>c OR e<d);
SELECT e,
       a+b*2,
       c,
       d-e
  FROM t1;
SELECT a+b*2+c*3,
       a+b*2+c*3+d*4,
       CASE WHEN a<b-3 THEN 111 WHEN a<=b THEN 222
        WHEN a<b+3 THEN 333 ELSE 444 END,
       CASE a+1 WHEN b THEN 111 WHEN c THEN 222
        WHEN d THEN 333  WHEN e THEN 444 ELSE 555 END,
       abs(a)
  FROM t1;
SELECT a-b,
       CASE WHEN c>(SELECT avg(c) FROM t1) THEN a*2 ELSE b*10 END
  FROM t1
 WHERE (c<=d-2 OR c>=d+2)
    OR c>d
    OR (e>c OR e<d);
SELECT c-d,
       abs(b-c),
       CASE WHEN a<b-3 THEN 111 WHEN a<=b THEN 222
        WHEN a<b+3 THEN 333 ELSE 444 END
  FROM t1
 WHERE d NOT BETWEEN 110 AND 150
   AND a>b;
SELECT (SELECT count(*) FROM t1 AS x WHERE x.b<t1.b),
       CASE WHEN a<b-3 THEN 111 WHEN a<=b THEN 222
        WHEN a<b+3 THEN 333 ELSE 444 END,
       CASE WHEN c>(SELECT avg(c) FROM t1) THEN a*2 ELSE b*10 END,
       c-d
  FROM t1
 WHERE (e>a AND e<b)
    OR coalesce(a,b,c,d,e)<>0;
SELECT CASE a+1 WHEN b THEN 111 WHEN c THEN 222
        WHEN d THEN 333  WHEN e THEN 444 ELSE 555 END
  FROM t1
 WHERE d NOT BETWEEN 110 AND 150;
SELECT c,
       b-c,
       a+b*2+c*3+d*4,
       (SELECT count(*) FROM t1 AS x WHERE x.c>t1.c AND x.d<t1.d),
       a+b*2+c*3,
       a,
       c-d
  FROM t1
 WHERE coalesce(a,b,c,d,e)<>0
   AND b IS NOT NULL;
SELECT CASE WHEN a<b-3 THEN 111 WHEN a<=b THEN 222
        WHEN a<b+3 THEN 333 ELSE 444 END,
       c-d,
       e,
       abs(a),
       a+b*2+c*3,
       abs(b-c)
  FROM t1
 WHERE d NOT BETWEEN 110 AND 150
   AND (e>a AND e<b);
SELECT d-e,
       b-c,
       c
  FROM t1
 WHERE e+d BETWEEN a+b-10 AND c+130
   AND a>b
   AND a IS NULL;
SELECT d-e,
       CASE WHEN c>(SELECT avg(c) FROM t1) THEN a*2 ELSE b*10 END
  FROM t1
 WHERE c>d
    OR (c<=d-2 OR c>=d+2)
    OR e+d BETWEEN a+b-10 AND c+130;
SELECT a+b*2,
       CASE WHEN a<b-3 THEN 111 WHEN a<=b THEN 222
        WHEN a<b+3 THEN 333 ELSE 444 END,
       (a+b+c+d+e)/5,
       a+b*2+c*3,
       b-c,
       a
  FROM t1
 WHERE d NOT BETWEEN 110 AND 150;
-- from select3.test
SELECT b-c,
       d,
       a+b*2+c*3+d*4+e*5,
       (a+b+c+d+e)/5,
       a+b*2,
       (SELECT count(*) FROM t1 AS x WHERE x.c>t1.c AND x.d<t1.d),
       a-b
  FROM t1
 WHERE d NOT BETWEEN 110 AND 150
   AND b>c
   AND (c<=d-2 OR c>=d+2)
 ORDER BY 4,1,2,7;
SELECT a,
       (SELECT count(*) FROM t1 AS x WHERE x.c>t1.c AND x.d<t1.d),
       abs(b-c),
       a+b*2+c*3+d*4
  FROM t1
 WHERE EXISTS(SELECT 1 FROM t1 AS x WHERE x.b<t1.b)
   AND c>d
 ORDER BY 4,2,3,1;
SELECT (SELECT count(*) FROM t1 AS x WHERE x.b<t1.b),
       a+b*2,
       d,
       a,
       a+b*2+c*3+d*4,
       c-d
  FROM t1;
SELECT c,
       a+b*2,
       b-c
  FROM t1
 ORDER BY 3,1;
SELECT b-c,
       a+b*2+c*3+d*4+e*5,
       abs(a),
       d,
       a+b*2,
       c-d
  FROM t1
 WHERE (e>c OR e<d)
 ORDER BY 6,4,1,5,3;
SELECT e,
       CASE WHEN c>(SELECT avg(c) FROM t1) THEN a*2 ELSE b*10 END
  FROM t1
 WHERE e+d BETWEEN a+b-10 AND c+130
    OR (e>c OR e<d);
SELECT d-e,
       e,
       a-b,
       (SELECT count(*) FROM t1 AS x WHERE x.b<t1.b),
       d
  FROM t1;
SELECT (a+b+c+d+e)/5,
       d,
       abs(b-c)
  FROM t1
 WHERE a>b
    OR EXISTS(SELECT 1 FROM t1 AS x WHERE x.b<t1.b)
    OR (e>c OR e<d);
SELECT CASE a+1 WHEN b THEN 111 WHEN c THEN 222
        WHEN d THEN 333  WHEN e THEN 444 ELSE 555 END,
       a-b,
       a
  FROM t1
 WHERE e+d BETWEEN a+b-10 AND c+130
    OR a>b
    OR d>e;
SELECT (a+b+c+d+e)/5,
       (SELECT count(*) FROM t1 AS x WHERE x.b<t1.b)
  FROM t1
 WHERE (a>b-2 AND a<b+2)
    OR (e>c OR e<d)
    OR (e>a AND e<b);
SELECT c-d,
       CASE WHEN c>(SELECT avg(c) FROM t1) THEN a*2 ELSE b*10 END,
       (a+b+c+d+e)/5,
       abs(a),
       d
  FROM t1
 ORDER BY 1,2;
SELECT (SELECT count(*) FROM t1 AS x WHERE x.c>t1.c AND x.d<t1.d)
  FROM t1
 WHERE b>c
   AND c BETWEEN b-2 AND d+2
   AND (c<=d-2 OR c>=d+2)
 ORDER BY 1;
SELECT CASE WHEN a<b-3 THEN 111 WHEN a<=b THEN 222
        WHEN a<b+3 THEN 333 ELSE 444 END,
       (a+b+c+d+e)/5,
       a+b*2
  FROM t1
 WHERE d>e
   AND (a>b-2 AND a<b+2)
   AND a>b
 ORDER BY 3,2,1;
SELECT CASE a+1 WHEN b THEN 111 WHEN c THEN 222
        WHEN d THEN 333  WHEN e THEN 444 ELSE 555 END,
       d,
       d-e,
       a+b*2+c*3,
       (SELECT count(*) FROM t1 AS x WHERE x.c>t1.c AND x.d<t1.d)
  FROM t1
 WHERE a>b
    OR d NOT BETWEEN 110 AND 150
    OR c>d
 ORDER BY 4,3,2,5,1;
SELECT c-d,
       d,
       CASE WHEN c>(SELECT avg(c) FROM t1) THEN a*2 ELSE b*10 END,
       abs(a),
       d-e,
       b,
       e
  FROM t1
 WHERE (e>c OR e<d)
   AND (a>b-2 AND a<b+2)
   AND d NOT BETWEEN 110 AND 150;
SELECT a+b*2+c*3+d*4+e*5,
       d,
       a-b,
       (a+b+c+d+e)/5
  FROM t1
 WHERE (e>c OR e<d)
   AND b>c
 ORDER BY 2,4,3;
SELECT abs(a),
       d-e,
       a+b*2+c*3,
       abs(b-c),
       b
  FROM t1
 WHERE d>e
    OR c>d
    OR d NOT BETWEEN 110 AND 150
 ORDER BY 1,2,4;
SELECT a+b*2+c*3+d*4
  FROM t1
 WHERE (e>c OR e<d)
    OR b>c
    OR d NOT BETWEEN 110 AND 150;
SELECT a-b,
       e,
       c,
       a+b*2+c*3+d*4
  FROM t1
 WHERE (c<=d-2 OR c>=d+2)
    OR e+d BETWEEN a+b-10 AND c+130
    OR d NOT BETWEEN 110 AND 150
 ORDER BY 4,3,1,2;
SELECT d,
       a+b*2+c*3+d*4+e*5,
       (a+b+c+d+e)/5,
       e,
       CASE WHEN c>(SELECT avg(c) FROM t1) THEN a*2 ELSE b*10 END,
       a
  FROM t1
 WHERE e+d BETWEEN a+b-10 AND c+130
    OR d>e;
SELECT a+b*2+c*3+d*4
  FROM t1
 WHERE e+d BETWEEN a+b-10 AND c+130
   AND (e>c OR e<d);
SELECT (SELECT count(*) FROM t1 AS x WHERE x.b<t1.b),
       c-d,
       d
  FROM t1
 WHERE (a>b-2 AND a<b+2)
    OR c>d
    OR (e>c OR e<d);
SELECT abs(a),
       abs(b-c),
       d-e,
       CASE WHEN a<b-3 THEN 111 WHEN a<=b THEN 222
        WHEN a<b+3 THEN 333 ELSE 444 END,
       (SELECT count(*) FROM t1 AS x WHERE x.c>t1.c AND x.d<t1.d)
  FROM t1
 WHERE e+d BETWEEN a+b-10 AND c+130
   AND c>d
   AND b>c
 ORDER BY 3,5;
SELECT d-e,
       d,
       a+b*2,
       a+b*2+c*3,
       CASE WHEN a<b-3 THEN 111 WHEN a<=b THEN 222
        WHEN a<b+3 THEN 333 ELSE 444 END,
       b,
       e
  FROM t1
 WHERE a>b
 ORDER BY 1,5,7,6,4,3;
SELECT CASE a+1 WHEN b THEN 111 WHEN c THEN 222
        WHEN d THEN 333  WHEN e THEN 444 ELSE 555 END,
       c
  FROM t1
 WHERE (e>c OR e<d)
   AND b>c
   AND EXISTS(SELECT 1 FROM t1 AS x WHERE x.b<t1.b);
SELECT (SELECT count(*) FROM t1 AS x WHERE x.b<t1.b),
       a+b*2+c*3,
       b-c,
       b,
       abs(a),
       a-b
  FROM t1
 WHERE a>b
   AND d NOT BETWEEN 110 AND 150
   AND EXISTS(SELECT 1 FROM t1 AS x WHERE x.b<t1.b)
 ORDER BY 1,2,3,4,6;
SELECT c-d,
       abs(a),
       b,
       CASE WHEN a<b-3 THEN 111 WHEN a<=b THEN 222
        WHEN a<b+3 THEN 333 ELSE 444 END,
       a+b*2+c*3+d*4
  FROM t1
 WHERE d>e
    OR (e>c OR e<d)
    OR d NOT BETWEEN 110 AND 150;
SELECT c,
       a-b,
       b-c,
       (SELECT count(*) FROM t1 AS x WHERE x.c>t1.c AND x.d<t1.d)
  FROM t1
 WHERE c BETWEEN b-2 AND d+2
   AND (e>a AND e<b)
   AND d>e;
SELECT (SELECT count(*) FROM t1 AS x WHERE x.b<t1.b),
       d,
       (a+b+c+d+e)/5,
       (SELECT count(*) FROM t1 AS x WHERE x.c>t1.c AND x.d<t1.d),
       c-d
  FROM t1
 WHERE (e>c OR e<d)
    OR c BETWEEN b-2 AND d+2
 ORDER BY 4,5,2;
SELECT abs(a),
       e,
       (SELECT count(*) FROM t1 AS x WHERE x.b<t1.b),
       abs(b-c),
       CASE a+1 WHEN b THEN 111 WHEN c THEN 222
        WHEN d THEN 333  WHEN e THEN 444 ELSE 555 END
  FROM t1
 WHERE EXISTS(SELECT 1 FROM t1 AS x WHERE x.b<t1.b)
   AND (e>c OR e<d)
 ORDER BY 2,1;
SELECT a+b*2+c*3,
       a+b*2
  FROM t1
 WHERE (c<=d-2 OR c>=d+2);
SELECT a-b,
       a+b*2,
       a
  FROM t1
 WHERE d>e
    OR b>c
 ORDER BY 3,1;
SELECT b-c,
       a+b*2,
       c,
       a+b*2+c*3+d*4
  FROM t1;
SELECT d
  FROM t1
 WHERE d NOT BETWEEN 110 AND 150
   AND (e>a AND e<b);
SELECT a-b,
       a,
       b-c,
       b,
       e
  FROM t1
 WHERE d NOT BETWEEN 110 AND 150
    OR c>d
 ORDER BY 2,1,5,4;
SELECT a+b*2+c*3,
       c-d
  FROM t1
 WHERE EXISTS(SELECT 1 FROM t1 AS x WHERE x.b<t1.b)
   AND b>c;
SELECT abs(a),
       a-b,
       c,
       abs(b-c)
  FROM t1
 WHERE d>e;
SELECT a+b*2,
       CASE a+1 WHEN b THEN 111 WHEN c THEN 222
        WHEN d THEN 333  WHEN e THEN 444 ELSE 555 END
  FROM t1
 WHERE d>e
    OR e+d BETWEEN a+b-10 AND c+130
    OR c>d
 ORDER BY 2,1;
SELECT a-b,
       CASE WHEN c>(SELECT avg(c) FROM t1) THEN a*2 ELSE b*10 END,
       d-e,
       CASE a+1 WHEN b THEN 111 WHEN c THEN 222
        WHEN d THEN 333  WHEN e THEN 444 ELSE 555 END,
       e,
       a+b*2+c*3
  FROM t1
 ORDER BY 6,1;
SELECT abs(a),
       b-c,
       a-b,
       a,
       d-e
  FROM t1;
SELECT (a+b+c+d+e)/5,
       (SELECT count(*) FROM t1 AS x WHERE x.c>t1.c AND x.d<t1.d),
       abs(b-c),
       CASE a+1 WHEN b THEN 111 WHEN c THEN 222
        WHEN d THEN 333  WHEN e THEN 444 ELSE 555 END,
       b-c
  FROM t1;
SELECT a,
       (SELECT count(*) FROM t1 AS x WHERE x.c>t1.c AND x.d<t1.d),
       abs(b-c),
       a+b*2+c*3+d*4
  FROM t1
 WHERE EXISTS(SELECT 1 FROM t1 AS x WHERE x.b<t1.b)
   AND c>d;
SELECT a+b*2+c*3,
       (SELECT count(*) FROM t1 AS x WHERE x.c>t1.c AND x.d<t1.d),
       (a+b+c+d+e)/5,
       d,
       a
  FROM t1
 ORDER BY 5,3,2,4;
SELECT a,
       b-c,
       CASE a+1 WHEN b THEN 111 WHEN c THEN 222
        WHEN d THEN 333  WHEN e THEN 444 ELSE 555 END,
       CASE WHEN a<b-3 THEN 111 WHEN a<=b THEN 222
        WHEN a<b+3 THEN 333 ELSE 444 END,
       (SELECT count(*) FROM t1 AS x WHERE x.c>t1.c AND x.d<t1.d),
       e
  FROM t1
 WHERE (e>c OR e<d)
   AND c BETWEEN b-2 AND d+2
   AND e+d BETWEEN a+b-10 AND c+130;
SELECT b,
       a+b*2+c*3+d*4,
       (SELECT count(*) FROM t1 AS x WHERE x.c>t1.c AND x.d<t1.d),
       CASE WHEN a<b-3 THEN 111 WHEN a<=b THEN 222
        WHEN a<b+3 THEN 333 ELSE 444 END
  FROM t1
 WHERE c BETWEEN b-2 AND d+2
   AND (e>c OR e<d)
   AND a>b;
SELECT CASE WHEN a<b-3 THEN 111 WHEN a<=b THEN 222
        WHEN a<b+3 THEN 333 ELSE 444 END,
       a-b,
       b-c,
       (a+b+c+d+e)/5,
       a+b*2,
       CASE WHEN c>(SELECT avg(c) FROM t1) THEN a*2 ELSE b*10 END
  FROM t1
 WHERE (e>a AND e<b)
   AND d>e
   AND c BETWEEN b-2 AND d+2;
SELECT d,
       b-c,
       (a+b+c+d+e)/5
  FROM t1
 WHERE d>e
   AND (c<=d-2 OR c>=d+2)
   AND (e>c OR e<d)
 ORDER BY 1,3;
SELECT a+b*2+c*3,
       (SELECT count(*) FROM t1 AS x WHERE x.c>t1.c AND x.d<t1.d)
  FROM t1
 WHERE (a>b-2 AND a<b+2)
   AND d>e
   AND c BETWEEN b-2 AND d+2
 ORDER BY 1,2;
SELECT a+b*2,
       c-d,
       d-e,
       abs(a),
       a-b,
       c,
       b
  FROM t1
 WHERE a>b
 ORDER BY 1,6,2,5,3;
SELECT b-c,
       abs(a),
       CASE a+1 WHEN b THEN 111 WHEN c THEN 222
        WHEN d THEN 333  WHEN e THEN 444 ELSE 555 END,
       a-b,
       CASE WHEN c>(SELECT avg(c) FROM t1) THEN a*2 ELSE b*10 END,
       a+b*2+c*3+d*4,
       e
  FROM t1
 WHERE e+d BETWEEN a+b-10 AND c+130
    OR a>b
    OR d>e;
SELECT a+b*2+c*3+d*4,
       (SELECT count(*) FROM t1 AS x WHERE x.c>t1.c AND x.d<t1.d),
       c-d,
       CASE WHEN c>(SELECT avg(c) FROM t1) THEN a*2 ELSE b*10 END,
       CASE a+1 WHEN b THEN 111 WHEN c THEN 222
        WHEN d THEN 333  WHEN e THEN 444 ELSE 555 END,
       abs(a)
  FROM t1
 WHERE (a>b-2 AND a<b+2);
SELECT CASE WHEN a<b-3 THEN 111 WHEN a<=b THEN 222
        WHEN a<b+3 THEN 333 ELSE 444 END,
       d,
       a+b*2+c*3+d*4+e*5
  FROM t1
 WHERE (e>c OR e<d)
    OR b>c
    OR EXISTS(SELECT 1 FROM t1 AS x WHERE x.b<t1.b)
 ORDER BY 1,2;
SELECT a+b*2+c*3+d*4,
       CASE WHEN c>(SELECT avg(c) FROM t1) THEN a*2 ELSE b*10 END,
       d,
       abs(b-c),
       c-d,
       a+b*2
  FROM t1
 WHERE (e>c OR e<d)
    OR EXISTS(SELECT 1 FROM t1 AS x WHERE x.b<t1.b);
SELECT a+b*2+c*3
  FROM t1
 WHERE b>c
    OR (e>c OR e<d)
    OR e+d BETWEEN a+b-10 AND c+130;
SELECT d,
       c-d,
       c,
       abs(a),
       a-b
  FROM t1
 WHERE c>d
   AND a>b
   AND b>c;
SELECT CASE WHEN c>(SELECT avg(c) FROM t1) THEN a*2 ELSE b*10 END,
       (a+b+c+d+e)/5,
       CASE a+1 WHEN b THEN 111 WHEN c THEN 222
        WHEN d THEN 333  WHEN e THEN 444 ELSE 555 END,
       abs(a),
       a-b,
       d,
       a+b*2+c*3
  FROM t1
 ORDER BY 4,3,5,6,2,7,1;
SELECT e,
       CASE WHEN a<b-3 THEN 111 WHEN a<=b THEN 222
        WHEN a<b+3 THEN 333 ELSE 444 END,
       (SELECT count(*) FROM t1 AS x WHERE x.b<t1.b),
       a-b,
       d-e,
       b-c,
       (a+b+c+d+e)/5
  FROM t1
 WHERE (a>b-2 AND a<b+2)
   AND (e>c OR e<d)
   AND e+d BETWEEN a+b-10 AND c+130
 ORDER BY 4,6;
SELECT d-e
  FROM t1
 WHERE EXISTS(SELECT 1 FROM t1 AS x WHERE x.b<t1.b)
    OR e+d BETWEEN a+b-10 AND c+130
    OR (a>b-2 AND a<b+2);
SELECT CASE WHEN c>(SELECT avg(c) FROM t1) THEN a*2 ELSE b*10 END,
       (SELECT count(*) FROM t1 AS x WHERE x.b<t1.b),
       (SELECT count(*) FROM t1 AS x WHERE x.c>t1.c AND x.d<t1.d),
       d
  FROM t1
 WHERE c>d
   AND (e>c OR e<d)
   AND b>c
 ORDER BY 1,2;
SELECT c-d,
       a+b*2+c*3+d*4,
       abs(b-c),
       CASE a+1 WHEN b THEN 111 WHEN c THEN 222
        WHEN d THEN 333  WHEN e THEN 444 ELSE 555 END,
       abs(a)
  FROM t1
 WHERE b>c
    OR a>b
    OR (c<=d-2 OR c>=d+2);
-- from select4.test
INSERT INTO t7 VALUES(325,266,478,684,688,'table tn7 row 76');
INSERT INTO t6 VALUES(474,281,45,73,617,'table tn6 row 55');
INSERT INTO t8 VALUES(453,155,77,953,421,'table tn8 row 105');
SELECT d5*80+d5, a1*190+b5, c7*53+e5, d9*375, b8+c7
  FROM t7, t5, t8, t1, t9
 WHERE a1=395
   AND 761=e8
   AND c5=734
   AND e7=455
   AND b9=a8;
INSERT INTO t6 VALUES(680,210,677,428,466,'table tn6 row 91');
INSERT INTO t4 VALUES(756,749,840,249,217,'table tn4 row 2');
SELECT d4 FROM t4
   WHERE (296=e4 AND 201=c4 AND 781=d4 AND a4=589 AND 979=b4)
      OR a4 in (558,105,625,139,159,621,469,804,509)
      OR (82=a4 AND b4=644 AND c4=417)
UNION
  SELECT d7 FROM t7
   WHERE (816=c7 OR 79=e7 OR a7=452)
      OR (d7=397)
      OR (234=b7 AND 215=e7 AND 912=a7)
EXCEPT
  SELECT b3 FROM t3
   WHERE NOT (b3 in (832,411,392,558,296,266,445,977,224,686,166,73,73,58)
           OR (a3=265 AND d3=913 AND b3=302)
           OR c3 in (651,792,963,455,711,647,339,247,701,490));
SELECT a6+315+d9, d3, c9, b1+659+b9, b5
  FROM t3, t9, t6, t1, t5
 WHERE a1=c6
   AND a3 in (184,218,457,490,865,971)
   AND c9=402
   AND 293=c5
   AND d6 in (223,376,2,956);
SELECT a9, b3*64, x5
  FROM t9, t3, t5
 WHERE c5 in (820,249,602,12,27,187)
   AND a3 in (992,376,818,457,349,515,335)
   AND b9 in (12,410,236,122,926,262,301,211);
INSERT INTO t8 VALUES(400,6,486,197,381,'table tn8 row 88');
SELECT d2 FROM t2
   WHERE e2 in (812,981,659,654,125,621,463,815,629,841)
      OR a2 in (718,898,680)
      OR a2 in (853,916,76)
EXCEPT
  SELECT e5 FROM t5
   WHERE NOT ((c5=856))
UNION
  SELECT d6 FROM t6
   WHERE (495=e6)
UNION
  SELECT e1 FROM t1
   WHERE (12=c1 OR e1=646 OR d1=770)
EXCEPT
  SELECT d8 FROM t8
   WHERE NOT (c8 in (720,599,693,377,275,321,541,354,899))
UNION
  SELECT a3 FROM t3
   WHERE d3 in (164,17,354,444,102,363,368,480,645,607,437,850,650,231)
      OR a3 in (265,952,244,576,386,275,763,720,899,379,995,710)
      OR a3 in (184,566,559,353,34,376,478,710,899,743,965,818,644,763);
SELECT c5 FROM t5
   WHERE (159=b5 AND 556=a5 AND 756=c5 AND d5=269 AND e5=436)
UNION
  SELECT c2 FROM t2
   WHERE (e2=114)
      OR b2 in (170,489,35,351,532)
      OR (488=d2)
EXCEPT
  SELECT e8 FROM t8
   WHERE NOT (c8 in (136,394,691,899,77))
EXCEPT
  SELECT a1 FROM t1
   WHERE NOT ((652=b1 OR 829=a1 OR d1=35)
           OR b1 in (226,556,432,802,894,652,736,572,525,422,115)
           OR (a1=551 AND 976=c1 AND b1=662 AND 558=e1))
EXCEPT
  SELECT c9 FROM t9
   WHERE NOT ((694=d9 OR a9=962)
           OR (a9=468 OR c9=534))
EXCEPT
  SELECT a4 FROM t4
   WHERE NOT ((247=d4 AND c4=215)
           OR (752=a4 AND 0=c4)
           OR (a4=574))
UNION ALL
  SELECT e7 FROM t7
   WHERE a7 in (386,208,97,651,490,757)
      OR (c7=705 AND 197=e7 AND b7=832)
UNION
  SELECT d6 FROM t6
   WHERE e6 in (24,211,469,523,958,766,90,969,595,40,654,503,668,883)
EXCEPT
  SELECT b3 FROM t3
   WHERE NOT ((809=c3 OR 683=d3));
INSERT INTO t9 VALUES(450,95,973,389,679,'table tn9 row 1');
INSERT INTO t2 VALUES(691,543,83,854,505,'table tn2 row 65');
SELECT d7 FROM t7
   WHERE e7 in (971,422,428,144,408,290,506,183,970)
      OR (b7=938 AND 260=c7 AND e7=663 AND 744=a7 AND d7=572)
      OR (945=a7 OR 455=e7 OR a7=706)
UNION ALL
  SELECT d8 FROM t8
   WHERE c8 in (690,196,961,705,448,229,508,973,275,979,61)
      OR (984=b8 AND d8=499 AND c8=183 AND a8=728 AND e8=469)
EXCEPT
  SELECT b4 FROM t4
   WHERE NOT ((723=c4)
           OR a4 in (473,747,621,574)
           OR d4 in (665,55,356,989,25))
EXCEPT
  SELECT e5 FROM t5
   WHERE NOT ((681=c5 OR c5=818 OR e5=732)
           OR (b5=674 AND c5=570 AND e5=975))
UNION ALL
  SELECT c9 FROM t9
   WHERE (127=b9);
SELECT d4, b7, x8, c6*47
  FROM t6, t8, t4, t7
 WHERE (b4=735 OR 721=b4)
   AND 476=e8
   AND d6=185
   AND e7 in (248,254,638,290,689,27,841);
SELECT d3 FROM t3
   WHERE (376=b3)
      OR (c3=134 AND d3=541 AND b3=166 AND e3=145)
      OR d3 in (825,115,958,133,515,173,358,60,118,425,889,797,662,826)
EXCEPT
  SELECT b5 FROM t5
   WHERE NOT (b5 in (771,569,292,897,661)
           OR b5 in (33,685,606,703,326,716))
UNION
  SELECT c1 FROM t1
   WHERE c1 in (486,966,871)
UNION
  SELECT e2 FROM t2
   WHERE (e2=125)
      OR a2 in (853,91,944,809,954,222,751,538,775)
UNION ALL
  SELECT b6 FROM t6
   WHERE a6 in (255,182,696,238,452,718,692,829)
UNION
  SELECT a9 FROM t9
   WHERE c9 in (662,419,253,257,711)
      OR (d9=161 AND c9=515 AND e9=368)
      OR a9 in (389,251,559,821,318)
EXCEPT
  SELECT d4 FROM t4
   WHERE NOT ((637=a4 AND e4=377 AND 293=c4 AND 264=d4)
           OR (d4=950 OR 892=b4)
           OR (d4=929))
UNION
  SELECT a7 FROM t7
   WHERE (341=d7)
      OR a7 in (921,325,85,879)
      OR b7 in (973,273,820,832,191,220,913);
SELECT c9, d3*843, x2
  FROM t3, t9, t2
 WHERE 788=a3
   AND c2 in (244,894,806)
   AND 5=b9;
SELECT c7, e4*293
  FROM t7, t4
 WHERE e7=e4
   AND b4 in (735,387,721,765,707);
SELECT d6 FROM t6
   WHERE (963=b6 AND a6=811)
      OR (d6=2)
UNION
  SELECT c2 FROM t2
   WHERE a2 in (415,544,725)
      OR (c2=141 OR a2=76)
EXCEPT
  SELECT d7 FROM t7
   WHERE NOT (c7 in (931,22,770,954,729,857,626,305,691,288,249)
           OR d7 in (982,996,722));
INSERT INTO t7 VALUES(748,263,795,226,508,'table tn7 row 55');
SELECT a2, a9, x4, x8
  FROM t9, t2, t4, t8
 WHERE b2 in (545,592,643,859,264)
   AND e8=c2
   AND e9 in (936,418,653)
   AND b4 in (924,802,624,925,903,733);
SELECT x2, d8+d2, d3
  FROM t2, t3, t8
 WHERE 632=b2
   AND 457=a3
   AND e8=46;
SELECT e9, a5+37
  FROM t5, t9
 WHERE (e9=19 OR 845=e9 OR 278=e9)
   AND c5=585;
SELECT e7+236, b2, a1+102, d5+946
  FROM t1, t7, t2, t5
 WHERE c5 in (672,196,941,668,978,86,697,678)
   AND (e7=31 OR e7=67 OR e7=39)
   AND b2 in (168,367,357,217,605,754)
   AND a1 in (866,525,674,643,996);
SELECT c4, c9*766
  FROM t9, t4
 WHERE b4=826
   AND d9 in (235,489,855,345,668,678,732);
SELECT c6+e6, b7+119
  FROM t7, t6
 WHERE 457=d6
   AND 904=e7;
SELECT d3+621, x9
  FROM t9, t3
 WHERE (d9=682 OR 602=d9 OR d9=597)
   AND 727=a3;
INSERT INTO t8 VALUES(864,624,821,667,956,'table tn8 row 27');
SELECT c6 FROM t6
   WHERE (a6=2)
      OR (740=a6 OR 850=b6)
      OR (132=a6 OR 915=b6 OR a6=238)
UNION
  SELECT b9 FROM t9
   WHERE (d9=439)
      OR e9 in (987,944,418,107,788)
      OR (c9=923 OR c9=240)
EXCEPT
  SELECT c8 FROM t8
   WHERE NOT ((493=b8));
SELECT x8, d1+332
  FROM t8, t1
 WHERE (e8=242 OR 944=e8 OR 22=e8)
   AND a1 in (604,552,591,380,640,505,213,637);
SELECT b6+b1, d1+88, x9, d7
  FROM t6, t7, t9, t1
 WHERE e7 in (462,887,301,860,988)
   AND d9 in (495,389,681,347,142,258)
   AND d6=321
   AND a1 in (754,283,363,880,963);
SELECT d2, b9
  FROM t9, t2
 WHERE b9 in (783,118,759,803)
   AND a2=651;
SELECT x3, c4+e3
  FROM t4, t3
 WHERE a3 in (341,863,751,788,30,532)
   AND b4 in (434,847,267,372,810,408);
SELECT x7, b4+e7, b9*486
  FROM t9, t7, t4
 WHERE d9=668
   AND b4=765
   AND 455=e7;
SELECT a3, x4, b7, c1+e3, a9+578+a7
  FROM t9, t4, t7, t1, t3
 WHERE (175=b4 OR b4=33 OR 434=b4 OR 660=b4)
   AND e7 in (27,562,508,983,587,561,288)
   AND a1=d4
   AND b9 in (178,821,848,832)
   AND a3 in (42,244,197,218,913);
SELECT d7+d7, e4
  FROM t7, t4
 WHERE 901=b4
   AND (816=e7 OR e7=929 OR 688=e7 OR 301=e7);
SELECT a3 FROM t3
   WHERE (319=e3 OR 845=c3 OR e3=914)
      OR (247=d3 AND c3=117 AND e3=318 AND 317=b3 AND a3=98)
      OR (e3=951)
INTERSECT
  SELECT a9 FROM t9
   WHERE NOT ((587=c9 AND 763=d9 AND b9=803 AND a9=11 AND e9=841)
           OR (524=b9 AND 804=e9 AND 687=c9 AND d9=665 AND a9=830)
           OR (187=c9 AND 251=e9 AND 122=b9 AND 646=d9 AND a9=610))
INTERSECT
  SELECT b5 FROM t5
   WHERE NOT ((89=a5 OR 479=d5 OR 640=e5)
           OR (349=a5))
UNION ALL
  SELECT d1 FROM t1
   WHERE b1 in (853,49,736,944,75,569,726,346,414,993,807,981,896)
      OR (976=c1 OR c1=3)
EXCEPT
  SELECT a8 FROM t8
   WHERE NOT ((448=c8 AND a8=952)
           OR a8 in (312,514,826,250,774,701,443,637,402,256)
           OR c8 in (377,907,183))
UNION
  SELECT a4 FROM t4
   WHERE (146=d4);
SELECT a4 FROM t4
   WHERE a4 in (804,847,723,139,281,448,152)
      OR (639=d4 AND 261=a4)
      OR (e4=372 AND a4=185 AND 877=b4 AND d4=441 AND c4=455)
UNION
  SELECT e9 FROM t9
   WHERE d9 in (660,646,489,268,467,345,495,591)
      OR (235=d9 OR 456=b9 OR d9=646)
EXCEPT
  SELECT e7 FROM t7
   WHERE NOT ((249=c7)
           OR (416=a7)
           OR e7 in (460,562,976,929,201))
EXCEPT
  SELECT a1 FROM t1
   WHERE NOT (d1 in (427,761,750,585,376,319,806,619,661,105)
           OR (a1=879))
EXCEPT
  SELECT e2 FROM t2
   WHERE NOT (b2 in (820,681,714,888,148,674)
           OR (625=c2 OR b2=73 OR a2=185))
EXCEPT
  SELECT c3 FROM t3
   WHERE NOT ((578=e3 OR a3=892 OR 480=d3));
SELECT b6 FROM t6
   WHERE (852=d6 AND c6=454 AND b6=427)
      OR b6 in (716,984,350,6,421,232,604)
      OR (360=e6 OR 95=e6)
UNION
  SELECT e1 FROM t1
   WHERE c1 in (486,639,902,758,12,623,207)
      OR (358=a1)
UNION ALL
  SELECT a5 FROM t5
   WHERE e5 in (610,944,585,887,22,772,364,902,270,592,143,899,594,41)
      OR (499=e5 OR e5=561 OR e5=758)
EXCEPT
  SELECT e9 FROM t9
   WHERE NOT (a9 in (104,269,830,924,72,474,511,429,919,11,273))
EXCEPT
  SELECT d8 FROM t8
   WHERE NOT ((631=d8)
           OR (418=c8 OR c8=973)
           OR (6=b8 AND 400=a8))
UNION ALL
  SELECT b7 FROM t7
   WHERE (408=e7 AND b7=396 AND 399=d7 AND c7=813 AND 97=a7)
      OR (508=c7 OR 280=b7 OR 966=c7)
UNION ALL
  SELECT a3 FROM t3
   WHERE e3 in (221,765,7,425,932,536,871,951,25,163,3,393)
      OR d3 in (923,548,825,764,850,135);
SELECT b6 FROM t6
   WHERE (a6=104 AND 905=b6 AND 187=c6)
      OR b6 in (629,452,0,300)
EXCEPT
  SELECT e9 FROM t9
   WHERE NOT ((263=e9 AND 463=a9 AND 26=b9))
EXCEPT
  SELECT b8 FROM t8
   WHERE NOT (c8 in (730,563,442,260,419,32,789,374,705)
           OR (855=a8 OR e8=966))
UNION ALL
  SELECT e1 FROM t1
   WHERE (312=e1 AND b1=295 AND d1=678 AND a1=109)
      OR (a1=145 AND d1=818 AND b1=579 AND 230=c1 AND e1=328)
      OR (c1=207)
EXCEPT
  SELECT c3 FROM t3
   WHERE NOT (d3 in (913,133,46,983,729,437,364,231)
           OR (e3=989 OR 647=c3)
           OR (d3=2 OR 318=e3 OR 10=c3))
UNION ALL
  SELECT b7 FROM t7
   WHERE (208=a7 OR 215=e7 OR 590=e7)
      OR (a7=982 AND 48=e7 AND 510=b7 AND 828=d7);
INSERT INTO t3 VALUES(376,860,826,273,425,'table tn3 row 51');
SELECT d3 FROM t3
   WHERE (827=b3)
      OR (a3=376)
INTERSECT
  SELECT e6 FROM t6
   WHERE NOT (b6 in (44,348,296,880,876,452,92,984,461,781,549,378,217)
           OR (b6=217 AND a6=392 AND e6=31 AND 446=c6 AND 867=d6))
EXCEPT
  SELECT d7 FROM t7
   WHERE NOT ((b7=59)
           OR a7 in (9,706,863)
           OR (c7=478 AND 684=d7 AND 266=b7))
UNION ALL
  SELECT c4 FROM t4
   WHERE (b4=389 OR e4=698 OR 996=c4)
      OR (d4=507 AND 184=b4 AND 2=c4)
UNION
  SELECT e8 FROM t8
   WHERE (e8=859 AND c8=332)
      OR (c8=154 OR 795=a8)
      OR b8 in (461,182,992,7,487,523,741,352,975,493,981,359);
SELECT c6+c6, b2+376+d6, b9, e4+361+b2
  FROM t9, t2, t6, t4
 WHERE d6 in (405,674,852,196)
   AND 72=a9
   AND b4=c2
   AND d2 in (46,643,215,669,838,414);
SELECT e1 FROM t1
   WHERE d1 in (973,213,508,223,577,55,38,432,87,17,701)
UNION ALL
  SELECT a6 FROM t6
   WHERE c6 in (637,513,528,292,963)
UNION ALL
  SELECT c9 FROM t9
   WHERE (230=e9 OR e9=736 OR 418=e9)
      OR (253=c9)
      OR (273=a9 AND 146=e9 AND c9=457 AND 463=d9)
EXCEPT
  SELECT a8 FROM t8
   WHERE NOT ((512=d8)
           OR (113=a8 OR b8=807 OR a8=400)
           OR (608=e8))
EXCEPT
  SELECT d2 FROM t2
   WHERE NOT ((c2=449)
           OR c2 in (996,823,728));
INSERT INTO t3 VALUES(803,360,296,501,271,'table tn3 row 33');
INSERT INTO t7 VALUES(832,105,206,547,455,'table tn7 row 84');
INSERT INTO t3 VALUES(218,701,885,17,281,'table tn3 row 36');
INSERT INTO t1 VALUES(194,766,39,951,568,'table tn1 row 109');
SELECT a3 FROM t3
   WHERE (a3=380 AND 890=c3 AND 932=b3 AND 260=e3)
      OR (801=c3)
      OR (e3=333 AND c3=887 AND 584=b3)
UNION ALL
  SELECT a6 FROM t6
   WHERE a6 in (359,238,740,270)
      OR (a6=66 AND 123=c6 AND 734=d6)
EXCEPT
  SELECT c9 FROM t9
   WHERE NOT (d9 in (965,142,744,795,399,679,161,720,316,495,919,129,226)
           OR (d9=926)
           OR c9 in (905,64,451,643,732,98,534,662,273,419,252,894,526,110))
EXCEPT
  SELECT e1 FROM t1
   WHERE NOT (c1 in (787,898,530,388))
EXCEPT
  SELECT d5 FROM t5
   WHERE NOT ((771=b5)
           OR b5 in (234,159,338))
EXCEPT
  SELECT b4 FROM t4
   WHERE NOT (c4 in (658,157,936,84,178,667,854,936))
UNION ALL
  SELECT b2 FROM t2
   WHERE (c2=247)
      OR a2 in (853,590,253,980)
EXCEPT
  SELECT d7 FROM t7
   WHERE NOT ((a7=195)
           OR (d7=777))
UNION ALL
  SELECT a8 FROM t8
   WHERE (d8=463 AND a8=99 AND c8=790 AND e8=608)
      OR (d8=899 OR d8=370 OR 609=b8)
      OR b8 in (155,162,563,934,964,511,725,300,862,259);
INSERT INTO t8 VALUES(331,503,394,101,273,'table tn8 row 76');
INSERT INTO t1 VALUES(895,803,607,643,838,'table tn1 row 60');
SELECT c6 FROM t6
   WHERE e6 in (554,585,67,808,466,731,40,24,595,261)
INTERSECT
  SELECT e4 FROM t4
   WHERE NOT ((563=b4)
           OR (d4=356 OR 735=b4)
           OR (74=c4))
INTERSECT
  SELECT c9 FROM t9
   WHERE NOT ((647=e9 AND b9=880 AND 253=c9 AND 326=a9)
           OR (987=d9))
EXCEPT
  SELECT c7 FROM t7
   WHERE NOT ((547=d7 AND b7=105 AND c7=206)
           OR a7 in (147,48,642,622,350,916,430,912,165,958,706,233)
           OR (782=e7 OR 891=d7))
EXCEPT
  SELECT c2 FROM t2
   WHERE NOT ((168=b2 OR 688=c2))
EXCEPT
  SELECT a1 FROM t1
   WHERE NOT ((a1=371 AND c1=871 AND 275=d1 AND e1=146 AND b1=49)
           OR (c1=885 AND 89=e1 AND a1=738 AND 569=b1 AND 105=d1))
EXCEPT
  SELECT e3 FROM t3
   WHERE NOT ((70=a3)
           OR (559=a3 AND 584=c3 AND 283=d3 AND e3=83));
SELECT x7, a4
  FROM t7, t4
 WHERE 877=b4
   AND e7=503;
INSERT INTO t8 VALUES(443,642,599,781,440,'table tn8 row 26');
INSERT INTO t4 VALUES(605,184,2,507,760,'table tn4 row 44');
CREATE TABLE t1(
  a1 INTEGER,
  b1 INTEGER,
  c1 INTEGER,
  d1 INTEGER,
  e1 INTEGER,
  x1 VARCHAR(30)
);
SELECT c7, e4*293
  FROM t4, t7
 WHERE b4 in (735,387,721,765,707)
   AND e7=e4;
SELECT x1, d4+665, b9+948, a5, d6+951
  FROM t9, t6, t4, t1, t5
 WHERE a1=337
   AND b4=76
   AND d6=147
   AND b9=759
   AND 384=c5;
INSERT INTO t6 VALUES(129,350,832,929,77,'table tn6 row 36');
-- from select5.test
SELECT x54,x17,x21,x6,x34,x49,x2
  FROM t21,t49,t54,t17,t2,t6,t34
 WHERE b34=a54
   AND a34=b6
   AND a21=b2
   AND a21=4
   AND a17=b49
   AND a49=b54
   AND b17=a2;
SELECT x36,x56,x27,x13,x47,x31,x26,x59,x22,x10,x34,x6,x7,x2,x24,x64,x16,x4,x45,x11,x38,x49,x50,x63,x20,x33,x18,x55,x15,x1,x28,x58,x41,x60,x32,x57,x23,x35,x3,x40,x30,x52,x14,x54,x8,x37,x61,x9,x46,x25
  FROM t38,t41,t3,t56,t25,t27,t1,t15,t52,t20,t9,t6,t33,t8,t10,t16,t2,t11,t35,t63,t32,t28,t26,t46,t30,t34,t24,t61,t18,t64,t60,t13,t7,t59,t37,t14,t49,t57,t47,t50,t55,t45,t36,t31,t4,t22,t40,t23,t58,t54
 WHERE b33=a32
   AND a61=b45
   AND b35=a25
   AND a28=b34
   AND b8=a10
   AND a13=b9
   AND a36=b26
   AND a50=b27
   AND a7=b55
   AND b25=a47
   AND a45=b18
   AND b57=a54
   AND a26=b59
   AND b7=a16
   AND a64=b23
   AND a56=b58
   AND b46=a27
   AND a24=b52
   AND a60=b63
   AND a46=b1
   AND b20=a31
   AND a35=b3
   AND a58=b47
   AND b37=a1
   AND b60=a55
   AND a57=b4
   AND b41=a22
   AND a8=b36
   AND a2=b61
   AND a41=b2
   AND b49=a23
   AND a56=5
   AND a38=b28
   AND b6=a63
   AND a49=b16
   AND b13=a40
   AND b50=a30
   AND a11=b15
   AND a59=b54
   AND a3=b22
   AND a52=b11
   AND b64=a33
   AND a6=b10
   AND a37=b14
   AND b24=a14
   AND b30=a4
   AND b31=a34
   AND b32=a20
   AND b38=a9
   AND b40=a18;
INSERT INTO t5 VALUES(8,8,'table t5 row 8');
INSERT INTO t14 VALUES(1,5,'table t14 row 1');
INSERT INTO t39 VALUES(7,6,'table t39 row 7');
SELECT x36,x56,x27,x13,x47,x31,x26,x59,x22,x10,x34,x6,x7,x2,x24,x64,x16,x4,x45,x11,x38,x49,x50,x63,x20,x33,x18,x55,x15,x1,x28,x58,x41,x60,x32,x57,x23,x35,x3,x40,x30,x52,x14,x54,x8,x37,x61,x9,x46,x25
  FROM t10,t49,t28,t58,t45,t4,t64,t2,t11,t30,t22,t33,t15,t35,t40,t60,t52,t9,t24,t56,t25,t61,t59,t32,t23,t3,t41,t36,t50,t8,t34,t26,t6,t55,t31,t1,t27,t57,t14,t18,t38,t54,t16,t13,t7,t37,t47,t20,t46,t63
 WHERE b22=a3
   AND a56=5
   AND b4=a57
   AND a16=b7
   AND a18=b40
   AND b16=a49
   AND a10=b8
   AND a8=b36
   AND a20=b32
   AND a37=b14
   AND b30=a4
   AND b18=a45
   AND a7=b55
   AND a41=b2
   AND b13=a40
   AND b1=a46
   AND b28=a38
   AND a23=b49
   AND a55=b60
   AND b33=a32
   AND a27=b46
   AND a34=b31
   AND b11=a52
   AND b24=a14
   AND a36=b26
   AND a13=b9
   AND a1=b37
   AND b34=a28
   AND a58=b47
   AND b61=a2
   AND b63=a60
   AND a25=b35
   AND a31=b20
   AND a24=b52
   AND b38=a9
   AND a54=b57
   AND a64=b23
   AND a11=b15
   AND a59=b54
   AND b27=a50
   AND a56=b58
   AND a47=b25
   AND b3=a35
   AND b45=a61
   AND b64=a33
   AND a6=b10
   AND a26=b59
   AND a30=b50
   AND a63=b6
   AND b41=a22;
SELECT x20,x19,x35,x44,x31,x62,x57,x6,x30
  FROM t31,t19,t62,t20,t30,t6,t35,t57,t44
 WHERE a44=10
   AND a20=b6
   AND a62=b57
   AND b62=a19
   AND a57=b20
   AND a44=b19
   AND b30=a6
   AND a30=b35
   AND b31=a35;
INSERT INTO t28 VALUES(7,3,'table t28 row 7');
SELECT x34,x20,x40,x28,x51,x8,x3,x44,x5,x62,x48,x39,x27,x16,x53,x26,x37,x42,x60,x32,x45,x56,x2,x43,x31,x59,x46,x63,x23,x64,x55,x12,x41,x24,x57,x35,x10,x14,x19,x17,x29,x18,x7,x9,x54,x11,x52,x49,x33,x38,x13,x1,x36
  FROM t51,t44,t27,t17,t2,t56,t54,t3,t26,t7,t33,t19,t29,t64,t49,t55,t60,t10,t37,t34,t24,t14,t59,t45,t40,t36,t62,t9,t52,t39,t43,t12,t28,t38,t32,t16,t5,t1,t8,t46,t41,t23,t11,t35,t42,t31,t48,t20,t13,t57,t53,t63,t18
 WHERE b23=a42
   AND a39=b55
   AND b49=a38
   AND a16=b10
   AND b38=a52
   AND b46=a24
   AND b13=a23
   AND a64=b54
   AND a26=b42
   AND a17=b5
   AND b16=a62
   AND a27=b29
   AND b11=a19
   AND a11=b44
   AND b62=a28
   AND b64=a7
   AND a54=b14
   AND a10=b1
   AND a53=b43
   AND a44=b24
   AND b27=a40
   AND b9=a33
   AND a46=b17
   AND a1=b2
   AND b63=a48
   AND a59=b7
   AND a20=b41
   AND b48=a32
   AND a9=b35
   AND b19=a18
   AND b59=a43
   AND b53=a49
   AND a3=b12
   AND b45=a2
   AND a34=b40
   AND b33=a14
   AND a12=b51
   AND a63=b57
   AND b8=a35
   AND b52=a5
   AND a56=b31
   AND a8=b56
   AND b36=a13
   AND a41=b28
   AND a37=b34
   AND a60=b3
   AND b60=a29
   AND b20=a57
   AND b18=a55
   AND b26=a45
   AND b32=a31
   AND a37=1
   AND a51=b39;
INSERT INTO t47 VALUES(10,8,'table t47 row 10');
SELECT x61,x29,x6,x36
  FROM t36,t29,t6,t61
 WHERE b61=a6
   AND a36=b29
   AND a6=6
   AND a61=b36;
SELECT x33,x8,x47,x30,x17,x39,x37,x9,x1,x7,x12,x29,x27,x50,x22,x44,x45,x31,x16,x15,x18,x62,x60,x6,x36,x11,x42,x58,x52,x56,x46,x49,x57,x21,x55,x19,x20,x2,x64,x10,x3,x43,x13,x25,x24,x4,x51,x41
  FROM t42,t6,t20,t11,t36,t18,t16,t58,t19,t44,t21,t27,t8,t17,t10,t45,t64,t29,t37,t57,t22,t62,t2,t24,t56,t33,t47,t51,t46,t7,t13,t4,t39,t60,t55,t49,t9,t1,t52,t12,t41,t25,t31,t43,t3,t15,t50,t30
 WHERE b1=a27
   AND a12=b25
   AND a30=b41
   AND b45=a10
   AND a17=b60
   AND b12=a21
   AND b64=a41
   AND b58=a52
   AND a37=b10
   AND b42=a25
   AND a29=b9
   AND a11=b62
   AND a46=b33
   AND b16=a62
   AND a58=b3
   AND b47=a15
   AND a33=b21
   AND a42=b20
   AND b57=a22
   AND a50=b15
   AND b52=a6
   AND a3=b56
   AND a1=b44
   AND b39=a31
   AND b4=a24
   AND a56=b29
   AND a27=9
   AND b37=a20
   AND b36=a8
   AND b43=a2
   AND a60=b31
   AND b49=a36
   AND b22=a4
   AND a13=b46
   AND a7=b19
   AND a51=b24
   AND b8=a45
   AND b30=a57
   AND a18=b13
   AND b2=a55
   AND a44=b17
   AND a9=b11
   AND a43=b18
   AND b7=a49
   AND b51=a16
   AND a39=b6
   AND b50=a64
   AND b55=a47;
SELECT x54,x17,x21,x6,x34,x49,x2
  FROM t21,t2,t49,t34,t54,t6,t17
 WHERE a54=b34
   AND b54=a49
   AND a21=b2
   AND a34=b6
   AND a17=b49
   AND a21=4
   AND a2=b17;
SELECT x17,x30,x48,x21,x7,x10,x47,x26,x14,x56,x11,x49,x52,x4,x35,x37,x59,x25,x32,x16,x60,x8,x61,x63,x54,x12
  FROM t21,t48,t52,t25,t37,t63,t11,t56,t7,t49,t30,t4,t54,t12,t26,t60,t8,t17,t32,t47,t35,t59,t14,t16,t10,t61
 WHERE b52=a35
   AND a30=b47
   AND a54=b30
   AND a52=b14
   AND b17=a10
   AND a21=b37
   AND b21=a60
   AND a63=b11
   AND b63=a59
   AND a26=b60
   AND a61=b4
   AND b61=a48
   AND b49=a11
   AND a7=b25
   AND a25=b8
   AND a8=b26
   AND a49=b16
   AND a12=b59
   AND a56=1
   AND b32=a47
   AND a32=b12
   AND b48=a14
   AND b35=a17
   AND b10=a16
   AND a56=b7
   AND a37=b54;
INSERT INTO t23 VALUES(9,10,'table t23 row 9');
INSERT INTO t22 VALUES(5,2,'table t22 row 5');
SELECT x5,x13,x52,x24,x17,x46,x26,x54,x33,x44,x43,x2,x16,x34,x35,x57,x1,x60,x23,x28,x56,x48,x49,x41,x40,x61,x11,x55
  FROM t60,t34,t43,t55,t28,t57,t49,t35,t44,t46,t13,t40,t41,t1,t33,t16,t56,t48,t24,t17,t26,t11,t23,t2,t5,t61,t54,t52
 WHERE a60=b52
   AND b33=a40
   AND a48=b57
   AND b46=a56
   AND a55=b1
   AND b5=a34
   AND b24=a49
   AND b13=a26
   AND a44=b16
   AND b43=a52
   AND b26=a41
   AND b40=a57
   AND a16=b55
   AND a43=b23
   AND b17=a24
   AND a54=b34
   AND b56=a11
   AND b41=a46
   AND a17=b11
   AND b60=a1
   AND a33=b49
   AND a23=b61
   AND b2=a13
   AND a28=5
   AND b35=a2
   AND b54=a35
   AND a61=b48
   AND b44=a28;
SELECT x20,x47,x38,x18,x10,x22,x37,x3,x63,x8,x30,x43,x54,x9,x21,x25,x2,x61,x55,x32,x52,x29,x50,x12
  FROM t47,t50,t2,t32,t63,t29,t21,t9,t37,t30,t61,t54,t55,t43,t12,t10,t20,t3,t8,t52,t38,t25,t18,t22
 WHERE a22=b43
   AND b29=a43
   AND a10=b25
   AND b30=a9
   AND b63=a50
   AND b3=a18
   AND b54=a37
   AND a38=b52
   AND b10=a3
   AND b9=a55
   AND b38=a25
   AND b50=a21
   AND b37=a47
   AND b22=a32
   AND b55=a20
   AND b18=a12
   AND a29=b21
   AND b8=a54
   AND b61=a2
   AND a61=b47
   AND a12=4
   AND b2=a52
   AND b20=a8
   AND b32=a30;
SELECT x6,x9,x61,x49,x33,x14,x24,x28,x10,x5,x23,x63,x31,x19,x25,x15,x13,x35,x18,x62,x47,x46,x51,x27,x60,x36,x26
  FROM t31,t62,t10,t61,t23,t27,t26,t60,t49,t24,t14,t36,t33,t6,t19,t9,t13,t18,t28,t5,t25,t46,t63,t15,t35,t51,t47
 WHERE a14=b61
   AND a27=b25
   AND b31=a24
   AND b9=a25
   AND b14=a63
   AND a62=b60
   AND a19=b33
   AND b49=a46
   AND b35=a61
   AND a60=b27
   AND a18=b13
   AND a26=b19
   AND b10=a5
   AND b23=a49
   AND b28=a36
   AND a18=7
   AND a47=b36
   AND a51=b5
   AND a10=b63
   AND b46=a35
   AND a15=b26
   AND b62=a31
   AND a23=b24
   AND b15=a28
   AND a13=b51
   AND a9=b6
   AND b47=a6;
SELECT x47,x17,x20,x6,x30,x46,x3,x51,x32,x34,x16,x40,x33,x48,x9,x35,x43,x49,x5,x52,x60,x19,x41,x14,x22,x10,x24
  FROM t34,t30,t46,t40,t43,t22,t14,t41,t16,t6,t35,t32,t52,t60,t51,t49,t10,t48,t24,t47,t33,t19,t5,t20,t9,t3,t17
 WHERE a47=b22
   AND b20=a40
   AND a41=b43
   AND b9=a24
   AND a17=5
   AND a49=b52
   AND a6=b41
   AND b5=a22
   AND b33=a3
   AND a30=b32
   AND a52=b24
   AND b47=a60
   AND a35=b16
   AND b3=a43
   AND b51=a10
   AND a17=b6
   AND b34=a5
   AND b35=a33
   AND b40=a46
   AND b49=a34
   AND b19=a14
   AND b14=a51
   AND b48=a9
   AND b46=a32
   AND a19=b30
   AND a48=b10
   AND a16=b60;
CREATE TABLE t59(
  a59 INTEGER PRIMARY KEY,
  b59 INTEGER,
  x59 VARCHAR(40)
);
INSERT INTO t16 VALUES(10,1,'table t16 row 10');
INSERT INTO t27 VALUES(9,5,'table t27 row 9');
CREATE TABLE t20(
  a20 INTEGER PRIMARY KEY,
  b20 INTEGER,
  x20 VARCHAR(40)
);
INSERT INTO t64 VALUES(8,7,'table t64 row 8');
INSERT INTO t50 VALUES(3,6,'table t50 row 3');
SELECT x53,x13,x23,x59,x33,x25,x54,x50,x62,x8,x38,x4,x63,x64,x47,x10,x37,x35,x29,x60,x61,x34,x15,x2,x57,x26,x43
  FROM t15,t8,t25,t60,t33,t13,t54,t23,t62,t10,t29,t34,t57,t47,t37,t53,t63,t43,t64,t59,t4,t26,t35,t2,t38,t50,t61
 WHERE b53=a8
   AND a60=b10
   AND b60=a54
   AND b50=a61
   AND b8=a35
   AND a63=b35
   AND b23=a64
   AND b37=a59
   AND a43=6
   AND a2=b4
   AND a33=b25
   AND b54=a4
   AND a26=b47
   AND a62=b61
   AND a15=b64
   AND b59=a53
   AND a34=b38
   AND b33=a50
   AND a57=b13
   AND b2=a37
   AND a38=b29
   AND a47=b34
   AND a43=b63
   AND a10=b15
   AND b26=a23
   AND a29=b57
   AND a13=b62;
SELECT x41,x10,x14,x56,x42,x57,x6,x4,x13,x8,x54,x33,x16,x17,x47,x23,x52,x25,x36,x28,x1,x9,x53,x64,x11,x34,x39,x7,x51,x30,x5,x46,x38,x2,x48,x50,x27,x49,x15,x31,x26,x62,x44,x37,x55,x59,x22,x40,x12,x3,x35,x63,x21,x61,x43,x60,x24,x29,x20,x58,x19,x32,x45
  FROM t1,t14,t57,t64,t47,t25,t53,t48,t23,t5,t39,t10,t26,t29,t13,t24,t4,t7,t36,t49,t59,t35,t20,t32,t21,t3,t38,t6,t55,t63,t51,t54,t52,t19,t33,t12,t61,t37,t2,t58,t22,t16,t41,t45,t60,t34,t42,t8,t28,t9,t15,t56,t31,t40,t44,t27,t62,t11,t46,t17,t30,t43,t50
 WHERE b22=a37
   AND b3=a26
   AND b10=a38
   AND b48=a6
   AND a62=b29
   AND a55=b14
   AND a25=b11
   AND a32=3
   AND a57=b43
   AND b58=a63
   AND a56=b55
   AND b34=a30
   AND a5=b42
   AND b9=a10
   AND b31=a42
   AND a64=b1
   AND b16=a4
   AND a53=b7
   AND b5=a59
   AND b37=a11
   AND b8=a33
   AND b61=a3
   AND a1=b13
   AND a29=b35
   AND b24=a2
   AND a40=b57
   AND a43=b45
   AND b47=a45
   AND b21=a47
   AND a19=b62
   AND b23=a35
   AND b26=a60
   AND a24=b25
   AND b19=a52
   AND a32=b41
   AND b44=a49
   AND b39=a61
   AND a31=b38
   AND b49=a15
   AND a36=b6
   AND b36=a50
   AND b54=a22
   AND b27=a44
   AND a14=b50
   AND b20=a28
   AND a16=b60
   AND a39=b59
   AND b56=a17
   AND a54=b46
   AND a12=b30
   AND b12=a13
   AND a48=b2
   AND b4=a7
   AND b64=a27
   AND a20=b15
   AND b53=a23
   AND b17=a41
   AND b52=a34
   AND b40=a58
   AND b51=a21
   AND a8=b28
   AND b33=a51
   AND a46=b63;
CREATE TABLE t31(
  a31 INTEGER PRIMARY KEY,
  b31 INTEGER,
  x31 VARCHAR(40)
);
SELECT x30,x22,x3,x23,x47,x9,x16,x1,x34,x28,x8,x59,x12,x38,x54,x61,x20,x45,x4,x7,x41,x53,x46,x15,x64,x24,x17,x44,x21,x60,x35,x49,x19
  FROM t54,t49,t19,t45,t59,t23,t3,t41,t64,t21,t1,t12,t38,t7,t22,t24,t46,t35,t61,t17,t9,t60,t53,t16,t30,t15,t44,t8,t34,t4,t47,t28,t20
 WHERE a9=b44
   AND a4=b16
   AND a64=b45
   AND a44=b49
   AND b53=a17
   AND b35=a7
   AND b38=a34
   AND b12=a45
   AND a53=b19
   AND a54=b17
   AND b60=a47
   AND a23=b3
   AND a15=b47
   AND a61=10
   AND a60=b4
   AND b59=a8
   AND b34=a3
   AND b1=a22
   AND b8=a49
   AND a20=b41
   AND b28=a19
   AND b30=a12
   AND b22=a30
   AND a38=b24
   AND b46=a59
   AND a24=b21
   AND b15=a35
   AND a41=b7
   AND b20=a61
   AND b64=a28
   AND b9=a1
   AND b54=a16
   AND b23=a46;
INSERT INTO t5 VALUES(3,10,'table t5 row 3');
INSERT INTO t39 VALUES(2,2,'table t39 row 2');
SELECT x5,x58,x23,x20,x3,x12,x48,x24,x47,x26,x37,x13,x14,x8,x43,x7,x63,x9,x39,x19,x50,x15,x2,x57,x4,x25,x16,x53,x34,x64,x35,x55,x60,x18,x46
  FROM t37,t46,t8,t4,t58,t19,t26,t34,t13,t18,t57,t43,t53,t35,t3,t23,t2,t48,t7,t16,t14,t24,t47,t12,t25,t20,t39,t9,t63,t60,t64,t55,t5,t15,t50
 WHERE a64=b60
   AND a57=b14
   AND a7=8
   AND a7=b18
   AND a47=b20
   AND b5=a55
   AND b19=a15
   AND a24=b37
   AND a18=b46
   AND a26=b25
   AND b58=a53
   AND a4=b34
   AND b63=a46
   AND b39=a12
   AND b15=a16
   AND a34=b8
   AND a50=b24
   AND a9=b4
   AND b9=a13
   AND a2=b26
   AND b53=a23
   AND a3=b64
   AND b3=a35
   AND b16=a20
   AND b43=a58
   AND a14=b2
   AND a8=b35
   AND b13=a19
   AND b47=a25
   AND b55=a37
   AND b48=a5
   AND a48=b57
   AND a63=b12
   AND a39=b23
   AND b50=a43;
SELECT x2,x3,x52,x22,x14,x49,x59
  FROM t52,t3,t22,t2,t49,t59,t14
 WHERE a49=b14
   AND a3=9
   AND a3=b59
   AND b52=a59
   AND b22=a2
   AND a52=b49
   AND a14=b2;
INSERT INTO t28 VALUES(3,2,'table t28 row 3');
SELECT x34,x58,x27,x33,x46,x56,x9,x8,x43,x45,x35,x25,x36,x60,x40,x17,x14,x48,x21,x42,x50,x61,x38,x59,x39,x7,x10,x54,x41,x52,x47,x19,x4,x15,x44,x26,x32,x51,x29,x13,x18,x37,x55,x22,x3,x64,x1,x11,x53,x23,x31,x63,x6,x57,x5,x12,x49,x2,x30,x28,x20,x24,x62
  FROM t34,t28,t4,t10,t29,t53,t63,t20,t56,t44,t13,t35,t41,t43,t55,t17,t31,t12,t21,t54,t40,t32,t33,t52,t38,t51,t36,t47,t19,t26,t39,t59,t7,t49,t58,t30,t14,t8,t64,t5,t25,t37,t45,t46,t62,t6,t15,t18,t48,t1,t11,t60,t27,t23,t50,t61,t3,t24,t57,t22,t42,t9,t2
 WHERE a45=b49
   AND b62=a35
   AND b51=a47
   AND a18=b20
   AND b15=a4
   AND a43=b47
   AND b64=a59
   AND b54=a44
   AND b50=a53
   AND a24=4
   AND a15=b10
   AND b2=a39
   AND b21=a6
   AND a8=b60
   AND a22=b19
   AND a41=b37
   AND a11=b61
   AND b58=a56
   AND b46=a63
   AND b33=a46
   AND a14=b56
   AND a27=b44
   AND a58=b11
   AND b35=a9
   AND a26=b32
   AND b39=a48
   AND b8=a54
   AND a12=b7
   AND a10=b45
   AND a2=b5
   AND a64=b18
   AND b38=a57
   AND a42=b23
   AND a20=b41
   AND b29=a3
   AND b34=a33
   AND a37=b12
   AND b40=a32
   AND a38=b4
   AND b17=a62
   AND a49=b52
   AND b26=a28
   AND a24=b3
   AND b27=a55
   AND a25=b55
   AND b14=a29
   AND b53=a30
   AND b13=a40
   AND a51=b31
   AND a61=b22
   AND b1=a21
   AND a34=b43
   AND b6=a36
   AND a17=b57
   AND a1=b59
   AND b30=a7
   AND b9=a5
   AND b36=a19
   AND b42=a13
   AND b63=a52
   AND b25=a31
   AND a50=b48
   AND a60=b28;
SELECT x23,x35,x6,x1,x13,x28,x52,x54,x15,x29,x36,x41,x43,x46,x10,x37,x57,x42,x49,x12,x26,x9,x48,x18,x64,x38,x14,x27,x50,x45,x47,x2,x20,x7,x60,x40,x32,x31
  FROM t32,t2,t29,t15,t7,t9,t35,t43,t48,t27,t13,t49,t23,t54,t31,t52,t64,t18,t38,t40,t37,t26,t20,t28,t46,t1,t50,t60,t45,t12,t47,t10,t6,t14,t36,t57,t42,t41
 WHERE a20=b42
   AND b50=a60
   AND b31=a46
   AND a9=b57
   AND b6=a18
   AND a32=b45
   AND a2=b27
   AND a14=b40
   AND b46=a15
   AND b10=a49
   AND b7=a23
   AND b12=a29
   AND b18=a1
   AND b64=a50
   AND a38=b48
   AND b9=a48
   AND a26=b29
   AND a37=b20
   AND b35=a64
   AND b2=a35
   AND a47=b23
   AND a40=b43
   AND a27=b38
   AND b54=a13
   AND b60=a10
   AND b1=a54
   AND a12=b14
   AND b37=a52
   AND a42=b47
   AND b28=a36
   AND a6=b41
   AND b13=a7
   AND b32=a28
   AND a41=b49
   AND a26=7
   AND a43=b36
   AND b15=a57
   AND b52=a45;
CREATE TABLE t6(
  a6 INTEGER PRIMARY KEY,
  b6 INTEGER,
  x6 VARCHAR(40)
);
INSERT INTO t56 VALUES(5,2,'table t56 row 5');
SELECT x24,x51,x48,x26,x53,x38,x4,x37,x43,x36,x60,x40,x20,x35,x11,x17,x52,x7,x10,x27,x56,x55,x61,x32,x42,x62,x47,x16,x14,x22,x6,x29,x58,x34,x63,x23,x46,x30,x31,x59,x15,x39,x45,x8,x21,x13,x41,x50,x28,x49,x1,x2,x9,x57,x3
  FROM t53,t52,t17,t31,t9,t45,t10,t56,t27,t38,t29,t16,t20,t28,t59,t51,t46,t1,t43,t15,t4,t49,t35,t42,t30,t63,t14,t23,t50,t55,t24,t47,t48,t13,t37,t58,t40,t21,t3,t41,t57,t61,t6,t11,t60,t8,t7,t22,t26,t2,t36,t34,t62,t39,t32
 WHERE b14=a51
   AND a8=b53
   AND a58=b17
   AND b11=a57
   AND a47=6
   AND a29=b35
   AND a16=b15
   AND a13=b59
   AND b39=a23
   AND b45=a15
   AND a7=b9
   AND a55=b62
   AND b51=a31
   AND a34=b23
   AND b13=a27
   AND b48=a53
   AND b46=a61
   AND a6=b34
   AND b27=a21
   AND a4=b31
   AND b10=a59
   AND a22=b37
   AND a3=b6
   AND b57=a52
   AND b2=a30
   AND b29=a1
   AND b61=a9
   AND b3=a63
   AND b28=a17
   AND a2=b4
   AND b24=a38
   AND b38=a14
   AND b26=a24
   AND a39=b1
   AND b21=a46
   AND b52=a40
   AND a41=b50
   AND b16=a10
   AND b49=a60
   AND a48=b60
   AND a36=b20
   AND b43=a11
   AND b63=a37
   AND a20=b32
   AND b55=a26
   AND b36=a35
   AND a49=b41
   AND a45=b56
   AND a50=b40
   AND b58=a62
   AND a47=b42
   AND b22=a43
   AND b8=a56
   AND b7=a28
   AND b30=a42;
INSERT INTO t17 VALUES(10,10,'table t17 row 10');
SELECT x35,x24,x17,x38,x55,x61,x36,x6,x2,x31,x23,x47,x37,x22,x33,x14,x64,x39,x20,x4,x29,x41,x21,x27,x44,x19,x12,x54,x57,x40,x8,x13,x3,x42,x62,x25,x28,x18,x58,x45,x30,x1,x46,x56,x7,x9,x26,x53,x43,x51,x63,x49,x5,x48,x34,x16,x50,x11,x15,x52,x60,x59,x32,x10
  FROM t14,t6,t31,t42,t9,t61,t16,t56,t15,t24,t4,t52,t38,t11,t30,t50,t36,t28,t19,t2,t5,t60,t34,t26,t46,t54,t7,t10,t51,t3,t45,t53,t57,t35,t20,t64,t58,t27,t18,t48,t55,t21,t25,t13,t59,t63,t8,t23,t29,t47,t41,t37,t44,t32,t22,t62,t12,t17,t1,t43,t33,t40,t39,t49
 WHERE a20=b33
   AND a14=b34
   AND a33=b35
   AND b19=a5
   AND a9=b24
   AND b7=a47
   AND b21=a54
   AND a51=b54
   AND b5=a40
   AND a55=b37
   AND a45=b60
   AND a62=b4
   AND a41=b40
   AND b17=a3
   AND a17=b20
   AND b41=a42
   AND a10=b45
   AND a12=b23
   AND a16=b63
   AND a56=b38
   AND b49=a11
   AND a6=b29
   AND a24=b11
   AND b46=a13
   AND a43=b26
   AND b31=a46
   AND a4=b15
   AND b57=a2
   AND a37=b13
   AND b48=a35
   AND b43=a38
   AND b64=a61
   AND a8=b39
   AND b18=a32
   AND a21=b53
   AND b14=a30
   AND b25=a39
   AND a58=b51
   AND b32=a27
   AND a60=b3
   AND b56=a53
   AND b1=a29
   AND a49=b55
   AND b58=a48
   AND a31=b52
   AND b2=a44
   AND a7=b10
   AND a1=b36
   AND b12=a52
   AND a15=b9
   AND a26=b16
   AND a8=9
   AND a19=b30
   AND b62=a28
   AND b44=a50
   AND a36=b28
   AND a34=b6
   AND a57=b47
   AND a64=b27
   AND b59=a18
   AND b61=a23
   AND b50=a59
   AND a63=b22
   AND a25=b42;
INSERT INTO t49 VALUES(6,2,'table t49 row 6');
SELECT x12,x25,x41,x17,x44,x56,x3,x18,x55,x50,x9,x36,x10,x62,x35,x8,x47,x42,x22,x16,x53,x63,x51,x64,x30,x4,x34,x59,x60,x19,x32,x28,x1
  FROM t55,t35,t9,t28,t47,t41,t12,t56,t50,t30,t4,t19,t1,t42,t17,t44,t34,t18,t53,t32,t10,t25,t3,t64,t36,t51,t22,t16,t62,t63,t59,t60,t8
 WHERE b9=a35
   AND a19=b59
   AND a25=6
   AND a47=b63
   AND b56=a4
   AND a63=b28
   AND a59=b1
   AND b34=a28
   AND a62=b55
   AND a64=b36
   AND b4=a41
   AND a32=b60
   AND b64=a9
   AND a16=b35
   AND b44=a60
   AND b19=a50
   AND a17=b47
   AND b62=a22
   AND b30=a3
   AND b18=a34
   AND b53=a42
   AND b10=a25
   AND b22=a8
   AND a18=b41
   AND b32=a53
   AND a10=b12
   AND a12=b8
   AND b50=a30
   AND b42=a56
   AND b16=a51
   AND a55=b51
   AND b17=a1
   AND a36=b3;
SELECT x15,x53,x55,x62,x43,x20,x8
  FROM t43,t62,t20,t8,t55,t15,t53
 WHERE b20=a8
   AND a53=b62
   AND b43=a20
   AND a53=2
   AND a62=b8
   AND a55=b15
   AND b55=a43;
INSERT INTO t32 VALUES(1,10,'table t32 row 1');
SELECT x60,x27,x36,x5,x32,x28
  FROM t28,t27,t32,t36,t5,t60
 WHERE b5=a27
   AND b36=a32
   AND a60=6
   AND b32=a28
   AND b27=a36
   AND b28=a60;
INSERT INTO t42 VALUES(5,8,'table t42 row 5');
SELECT x27,x8,x58,x50,x30,x3,x38,x12,x26,x45,x44,x49,x1,x35,x4,x39,x6,x23,x47,x11,x25,x54,x52,x61,x53,x18,x60,x56,x7,x63,x31,x28,x42,x15,x22,x13
  FROM t27,t47,t6,t53,t35,t45,t18,t1,t22,t3,t26,t7,t12,t11,t49,t39,t25,t63,t52,t50,t61,t4,t8,t30,t44,t13,t31,t23,t42,t54,t56,t15,t58,t38,t28,t60
 WHERE b1=a28
   AND b30=a7
   AND a15=b11
   AND a11=b63
   AND a26=b3
   AND a31=b53
   AND a49=b6
   AND b15=a22
   AND b60=a13
   AND b49=a63
   AND a8=b52
   AND a39=b7
   AND b45=a1
   AND a30=b35
   AND b23=a45
   AND a54=b31
   AND a6=b8
   AND b13=a53
   AND b44=a27
   AND a38=b56
   AND b26=a52
   AND a39=1
   AND a4=b25
   AND b18=a58
   AND a50=b28
   AND a61=b58
   AND b61=a42
   AND b12=a44
   AND a35=b42
   AND a56=b27
   AND a12=b50
   AND b22=a47
   AND a25=b54
   AND b4=a18
   AND b47=a60
   AND a3=b38;
SELECT x53,x60,x49,x33,x55,x5,x9,x58,x2,x23,x20,x45,x24,x15,x59,x34,x52,x1,x6,x40,x21,x8,x54,x30,x39,x16,x62,x26,x32,x61,x51,x12,x11,x27,x25,x38,x35
  FROM t49,t53,t62,t55,t8,t25,t5,t30,t35,t32,t52,t21,t24,t61,t11,t59,t58,t39,t51,t45,t40,t54,t6,t38,t26,t16,t12,t15,t34,t23,t1,t60,t20,t33,t9,t27,t2
 WHERE b9=a24
   AND a21=2
   AND b40=a32
   AND a20=b26
   AND b11=a54
   AND b8=a49
   AND b27=a52
   AND a11=b34
   AND b12=a38
   AND b54=a30
   AND a8=b39
   AND b60=a34
   AND a9=b16
   AND b20=a58
   AND a40=b23
   AND a15=b30
   AND a23=b5
   AND b62=a39
   AND a5=b55
   AND a60=b58
   AND a27=b35
   AND b25=a45
   AND b6=a59
   AND b2=a6
   AND a53=b51
   AND b49=a26
   AND b33=a1
   AND b15=a55
   AND b52=a33
   AND b45=a51
   AND b1=a25
   AND b59=a16
   AND a61=b24
   AND b32=a35
   AND b38=a2
   AND a21=b53
   AND b61=a62;
SELECT x36,x4,x61,x55,x25,x33,x18,x57,x30,x2,x15,x41,x56,x14,x54,x48,x44,x7,x3,x49,x40,x39,x59,x45,x29,x34,x11,x10,x9,x47,x31
  FROM t29,t45,t30,t59,t11,t33,t4,t41,t7,t15,t48,t54,t10,t14,t31,t2,t34,t9,t3,t49,t55,t44,t56,t40,t47,t36,t18,t39,t25,t61,t57
 WHERE b56=a40
   AND b25=a61
   AND a48=b30
   AND a55=b10
   AND a59=b31
   AND b9=a34
   AND b49=a25
   AND b47=a31
   AND a57=b55
   AND b33=a47
   AND b14=a15
   AND a2=1
   AND a54=b29
   AND b7=a3
   AND b41=a39
   AND a30=b57
   AND a14=b44
   AND b18=a29
   AND a33=b39
   AND a44=b3
   AND b48=a4
   AND b11=a18
   AND a9=b36
   AND b61=a2
   AND b45=a11
   AND b34=a10
   AND a45=b4
   AND a56=b15
   AND b54=a41
   AND b59=a49
   AND a36=b40;
INSERT INTO t62 VALUES(4,3,'table t62 row 4');
SELECT x47,x40,x16,x34,x58,x56,x22,x18,x25,x63,x23,x35,x24,x49,x9,x10,x37,x15,x38,x45,x30,x1,x27,x29,x2,x36,x54,x44,x50,x17,x31,x43,x55,x28,x61,x6,x8,x21,x64,x33,x7,x41,x51,x52,x53,x11,x14,x59,x19,x57,x4,x39,x48
  FROM t64,t50,t27,t41,t30,t9,t19,t58,t8,t33,t59,t63,t37,t45,t35,t43,t44,t17,t18,t23,t56,t28,t34,t22,t2,t21,t51,t25,t24,t54,t11,t39,t7,t49,t57,t47,t15,t40,t29,t1,t55,t36,t48,t53,t61,t52,t4,t31,t38,t10,t14,t16,t6
 WHERE a61=b14
   AND a38=b57
   AND a35=b15
   AND a25=6
   AND a63=b16
   AND a41=b44
   AND b64=a21
   AND a51=b41
   AND a4=b40
   AND a10=b43
   AND a57=b27
   AND a19=b37
   AND b45=a48
   AND b19=a34
   AND b35=a14
   AND a59=b33
   AND a47=b49
   AND a40=b39
   AND a25=b6
   AND b10=a58
   AND a22=b17
   AND b47=a24
   AND b31=a27
   AND b24=a16
   AND b28=a2
   AND a56=b63
   AND a6=b29
   AND a9=b55
   AND a52=b30
   AND a49=b8
   AND a29=b18
   AND b54=a30
   AND b59=a23
   AND a15=b52
   AND b11=a45
   AND a39=b34
   AND b56=a17
   AND b36=a37
   AND b1=a8
   AND b38=a50
   AND a43=b51
   AND b53=a31
   AND b61=a36
   AND b22=a11
   AND b7=a28
   AND a44=b2
   AND b21=a33
   AND a53=b9
   AND a54=b23
   AND b50=a18
   AND a64=b48
   AND b58=a55
   AND a7=b4;
SELECT x1,x43,x21,x24,x55,x31,x7,x29,x50,x27,x19,x37,x23,x58,x8,x53,x10,x36,x35,x64,x49,x59,x40,x11,x47,x60,x42,x30,x5,x34,x15,x38,x3,x26,x20,x52,x51,x9,x48,x16,x61,x63,x25,x28,x18,x12,x62,x6,x46
  FROM t19,t46,t64,t6,t35,t16,t53,t36,t1,t61,t31,t9,t40,t37,t18,t62,t27,t49,t60,t51,t10,t59,t29,t3,t34,t48,t52,t15,t12,t50,t25,t30,t38,t23,t11,t24,t8,t63,t55,t43,t47,t58,t21,t20,t42,t28,t5,t7,t26
 WHERE b50=a49
   AND b15=a29
   AND b48=a46
   AND a60=b59
   AND a26=b46
   AND b5=a43
   AND a20=b60
   AND b24=a8
   AND b42=a55
   AND a25=b1
   AND a50=b31
   AND a35=b16
   AND a47=b6
   AND a34=b18
   AND a1=b36
   AND b25=a63
   AND a11=b49
   AND a10=b43
   AND a27=b20
   AND a31=b61
   AND b47=a38
   AND a36=b19
   AND b27=a52
   AND b37=a23
   AND a53=b58
   AND b40=a18
   AND a37=b7
   AND a62=b52
   AND b9=a21
   AND b23=a58
   AND b62=a7
   AND a48=b35
   AND b26=a6
   AND a59=b21
   AND b10=a24
   AND b11=a19
   AND a28=b55
   AND a5=b63
   AND a38=3
   AND b8=a16
   AND b12=a61
   AND a30=b28
   AND a9=b29
   AND b51=a64
   AND a15=b3
   AND b30=a51
   AND a42=b53
   AND b34=a12
   AND a40=b64;
INSERT INTO t37 VALUES(3,7,'table t37 row 3');
INSERT INTO t45 VALUES(6,7,'table t45 row 6');
SELECT x41,x48,x16,x12,x26,x57,x14,x59,x20,x8,x51,x34,x25
  FROM t8,t41,t51,t26,t48,t14,t16,t12,t57,t25,t59,t20,t34
 WHERE b26=a41
   AND b51=a34
   AND a48=b59
   AND b48=a8
   AND a26=b16
   AND a20=6
   AND a20=b8
   AND a51=b25
   AND b34=a59
   AND a25=b41
   AND b14=a12
   AND a16=b57
   AND b12=a57;
INSERT INTO t43 VALUES(2,3,'table t43 row 2');
INSERT INTO t38 VALUES(2,10,'table t38 row 2');
SELECT x52,x4,x34,x54,x12,x41,x43,x18,x50,x26,x55,x58,x20,x27,x16,x8,x22,x21,x64,x49,x25,x32,x57,x5,x62,x24,x11,x45,x60,x13,x23,x35,x7
  FROM t45,t22,t32,t5,t43,t24,t23,t11,t4,t7,t25,t18,t21,t58,t50,t16,t13,t41,t12,t60,t55,t52,t64,t27,t34,t49,t20,t35,t62,t54,t26,t8,t57
 WHERE a8=b34
   AND a16=9
   AND b60=a13
   AND b43=a64
   AND a54=b18
   AND b35=a57
   AND b23=a12
   AND a21=b58
   AND b4=a58
   AND b22=a41
   AND a20=b55
   AND a62=b21
   AND b26=a24
   AND b12=a52
   AND a43=b27
   AND a32=b7
   AND b50=a26
   AND a25=b45
   AND b52=a55
   AND b41=a50
   AND a27=b20
   AND b64=a49
   AND b54=a16
   AND a11=b8
   AND a23=b5
   AND b24=a18
   AND b57=a4
   AND a35=b13
   AND a34=b32
   AND b25=a22
   AND b11=a60
   AND a45=b49
   AND b62=a5;
-- from evidence/in1.test
SELECT 2 IN (SELECT * FROM t6);
SELECT 1 NOT IN t5;
SELECT null NOT IN t5;
SELECT null NOT IN ();
SELECT null IN (SELECT * FROM t7n);
INSERT INTO t4n SELECT * FROM t4;
SELECT 2 NOT IN (SELECT * FROM t4n);
INSERT INTO t4 VALUES(4);
SELECT 'hello' NOT IN t1;
SELECT null IN t4;
SELECT 1 IN (SELECT * FROM t4n);
SELECT 1 NOT IN (SELECT * FROM t4);
SELECT 2 IN (SELECT * FROM t4);
SELECT null IN (SELECT * FROM t8);
SELECT null IN t5;
-- from evidence/in2.test
SELECT 1 FROM t1 WHERE 1.0 NOT IN ( NULL, 1.0 );
SELECT 1 FROM t1 WHERE '1' NOT IN ( NULL, '1' );
SELECT 1 FROM t1 WHERE 1.0 IN (2.0);
SELECT 1 FROM t1 WHERE 1 NOT IN ();
SELECT 1 FROM t1 WHERE '1' IN ('2');
SELECT 1 FROM t1 WHERE NULL NOT IN ( NULL, 1 );
SELECT 1 FROM t1 WHERE 1 IN ( NULL, 2 );
SELECT 1 FROM t1 WHERE '1' IN ();
SELECT 1 FROM t1 WHERE 1 NOT IN ( NULL, 1 );
SELECT 1 FROM t1 WHERE NULL IN ();
SELECT 1 FROM t1 WHERE NULL IN ( NULL, 1 );
CREATE TABLE t1( x INTEGER, y TEXT );
SELECT 1 FROM t1 WHERE NULL IN ( '1' );
SELECT 1 FROM t1 WHERE 1 IN (SELECT 1);
SELECT 1 FROM t1 WHERE NULL NOT IN ( NULL, 1.0 );
-- from evidence/slt_lang_aggfunc.test
INSERT INTO t1 VALUES(-1,'true');
DROP INDEX t1i1;
SELECT min(x) FROM t1;
SELECT sum(DISTINCT x) FROM t1;
SELECT total(DISTINCT y) FROM t1;
SELECT sum(x) FROM t1;
SELECT sum(DISTINCT x) FROM t1 WHERE y='null';
INSERT INTO t1 VALUES(2,'true');
SELECT count(x) FROM t1 WHERE y='null';
SELECT group_concat(DISTINCT x) FROM t1 NOT INDEXED;
SELECT group_concat(DISTINCT y) FROM t1;
SELECT max(x) FROM t1 WHERE y='null';
SELECT count(DISTINCT y) FROM t1;
SELECT count(DISTINCT x) FROM t1;
SELECT min(DISTINCT y) FROM t1;
SELECT avg(DISTINCT x) FROM t1 WHERE y='null';
-- from evidence/slt_lang_createtrigger.test
CREATE TRIGGER t1r8 BEFORE DELETE ON t1 BEGIN SELECT 1; END;
DROP TRIGGER t1r9;
INSERT INTO t1 VALUES(0,'false');
CREATE TRIGGER t1r1 UPDATE ON t1 BEGIN SELECT 1; END;
DROP TRIGGER t1r7;
CREATE INDEX t1i1 ON t1(x);
CREATE TABLE t1( x INTEGER, y VARCHAR(8) );
DROP TRIGGER t1r5;
CREATE TRIGGER t1r10 BEFORE UPDATE ON t1 BEGIN SELECT 1; END;
DROP TRIGGER t1r3;
CREATE TRIGGER t1r5 AFTER DELETE ON t1 BEGIN SELECT 1; END;
CREATE TRIGGER t1r9 BEFORE INSERT ON t1 BEGIN SELECT 1; END;
DROP TRIGGER t1r2;
CREATE TRIGGER t1r3 INSERT ON t1 BEGIN SELECT 1; END;
CREATE TRIGGER t1r6 AFTER INSERT ON t1 BEGIN SELECT 1; END;
-- from evidence/slt_lang_createview.test
CREATE TABLE t1( x INTEGER, y VARCHAR(8) );
INSERT INTO t1 VALUES(1,'true');
INSERT INTO t1 VALUES(0,'false');
INSERT INTO t1 VALUES(NULL,'NULL');
CREATE INDEX t1i1 ON t1(x);
CREATE VIEW view1 AS SELECT x FROM t1 WHERE x>0;
SELECT x FROM t1 WHERE x>0;
SELECT x FROM view1;
CREATE TEMP VIEW view2 AS SELECT x FROM t1 WHERE x>0;
CREATE TEMPORARY VIEW view3 AS SELECT x FROM t1 WHERE x>0;
DROP VIEW view1;
DROP VIEW view2;
DROP VIEW view3;
-- from evidence/slt_lang_dropindex.test
CREATE TABLE t1( x INTEGER, y VARCHAR(8) );
INSERT INTO t1 VALUES(1,'true');
INSERT INTO t1 VALUES(0,'false');
INSERT INTO t1 VALUES(NULL,'NULL');
CREATE INDEX t1i1 ON t1(x);
DROP INDEX t1i1;
-- from evidence/slt_lang_droptable.test
CREATE TABLE t1( x INTEGER, y VARCHAR(8) );
INSERT INTO t1 VALUES(1,'true');
INSERT INTO t1 VALUES(0,'false');
INSERT INTO t1 VALUES(NULL,'NULL');
CREATE INDEX t1i1 ON t1(x);
DROP TABLE t1;
DROP TABLE IF EXISTS t1;
-- from evidence/slt_lang_droptrigger.test
CREATE TABLE t1( x INTEGER, y VARCHAR(8) );
INSERT INTO t1 VALUES(1,'true');
INSERT INTO t1 VALUES(0,'false');
INSERT INTO t1 VALUES(NULL,'NULL');
CREATE INDEX t1i1 ON t1(x);
CREATE TRIGGER t1r1 UPDATE ON t1 BEGIN SELECT 1; END;
DROP TRIGGER t1r1;
DROP TABLE t1;
-- from evidence/slt_lang_dropview.test
CREATE TABLE t1( x INTEGER, y VARCHAR(8) );
INSERT INTO t1 VALUES(1,'true');
INSERT INTO t1 VALUES(0,'false');
INSERT INTO t1 VALUES(NULL,'NULL');
CREATE INDEX t1i1 ON t1(x);
CREATE VIEW view1 AS SELECT x FROM t1 WHERE x>0;
DROP VIEW view1;
CREATE VIEW view2 AS SELECT x FROM t1 WHERE x=0;
SELECT x FROM view2;
DROP VIEW view2;
SELECT x FROM t1 WHERE x=0;
-- from evidence/slt_lang_reindex.test
CREATE TABLE t1( x INTEGER, y VARCHAR(8) );
INSERT INTO t1 VALUES(1,'true');
INSERT INTO t1 VALUES(0,'false');
INSERT INTO t1 VALUES(NULL,'NULL');
CREATE INDEX t1i1 ON t1(x);
REINDEX t1i1;
-- from evidence/slt_lang_replace.test
CREATE TABLE t1( x INTEGER PRIMARY KEY, y VARCHAR(16) );
INSERT INTO t1 VALUES(1, 'true');
INSERT INTO t1 VALUES(0, 'false');
SELECT x, y FROM t1 WHERE x=2;
INSERT INTO t1 VALUES(2, 'insert');
INSERT OR REPLACE INTO t1 VALUES(2, 'insert or replace');
REPLACE INTO t1 VALUES(2, 'replace');
INSERT OR REPLACE INTO t1 VALUES(3, 'insert or replace (new)');
SELECT x, y FROM t1 WHERE x=3;
REPLACE INTO t1 VALUES(4, 'replace (new)');
SELECT x, y FROM t1 WHERE x=4;
-- from evidence/slt_lang_update.test
UPDATE t1 SET x=1 WHERE y='unknown';
CREATE INDEX t1i1 ON t1(x);
SELECT count(*) FROM t1 WHERE x=5;
SELECT count(*) FROM t1 WHERE y='unknown';
UPDATE t1 SET x=2;
CREATE TABLE t1( x INTEGER, y VARCHAR(8) );
SELECT count(*) FROM t1 WHERE x=4;
SELECT count(*) FROM t1 WHERE x=1;
UPDATE t1 SET x=x+2;
SELECT count(*) FROM t1 WHERE x=3;
INSERT INTO t1 VALUES(1,'true');
UPDATE t1 SET y='unknown' WHERE x>0;
INSERT INTO t1 VALUES(0,'false');
UPDATE t1 SET x=2 WHERE x>0;
UPDATE t1 SET y='true' WHERE x>0;

-- UQL examples
SELECT * FROM 'data/reviews.csv' AS r WHERE "the review is positive";
SELECT "the reason the customer is unhappy" AS reason FROM reviews WHERE NOT "the review is positive";
SELECT CAST("the star rating from 1 to 5" AS INTEGER) AS stars, count(*) FROM reviews GROUP BY 1;
SELECT count(*) FROM reviews GROUP BY "the outcome of the dialog" AS outcome;
SELECT outcome, COUNT(*) AS n, CI_LOW(COUNT(*)) AS lo, CI_HIGH(COUNT(*)) AS hi FROM dialogs GROUP BY "the outcome of {text}" AS outcome ORDER BY n DESC;
SELECT * FROM tickets ORDER BY "how angry the customer is" DESC LIMIT 10;
SELECT r.id, p.name FROM reviews r JOIN products p ON "the review {r.text} is about the product {p.name}";
SELECT * FROM read_csv('data/x.csv', 'header') AS x WHERE "the text says ""hello""" AND x.year > 2000;
SELECT key, text, name, value, year, count, id, type, date FROM docs WHERE key = 'k' AND "{text} mentions {name}";
SELECT `select`, `weird name` FROM `my table` AS `t t`;
SELECT * FROM 'data/images/' WHERE "the image shows a cat" OR "the image shows a dog" AND id < 100;
SET budget = 1000;
SET strategy = uniform;
SET strategy TO 'stratified';
SET confidence = 0.95;
SET seed = -3;
SHOW budget;
SHOW ALL;
SHOW TABLES;
EXPLAIN SELECT count(*) FROM reviews WHERE "the review is positive";
EXPLAIN ANALYZE SELECT avg(stars) FROM reviews WHERE "the review mentions shipping";
SELECT ?, ?, $3 FROM t WHERE a = ? AND b IN (?, ?);
CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL, score DOUBLE PRECISION DEFAULT 0.5, price DECIMAL(10,2) DEFAULT -1, tag VARCHAR(30) UNIQUE, PRIMARY KEY (id), UNIQUE (tag, body));
CREATE TEMP TABLE scratch AS SELECT * FROM notes WHERE score > 0.5;
CREATE VIEW IF NOT EXISTS happy (id, body) AS SELECT id, body FROM notes WHERE "the note is happy";
CREATE UNIQUE INDEX IF NOT EXISTS notes_i ON notes (score DESC, id ASC);
INSERT OR IGNORE INTO notes (id, body) VALUES (1, 'a'), (2, 'b''s');
INSERT INTO notes DEFAULT VALUES;
REPLACE INTO notes SELECT * FROM scratch;
UPDATE notes SET score = score + 1, body = upper(body) WHERE "the note is about money";
DELETE FROM notes WHERE id NOT BETWEEN 1 AND 10 OR body IS NULL;
DROP VIEW IF EXISTS happy;
DROP INDEX notes_i;
REINDEX;
REINDEX notes_i;
WITH RECURSIVE cnt(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM cnt WHERE x < 10) SELECT x FROM cnt;
WITH a AS (SELECT 1 AS v), b AS (SELECT 2 AS v) SELECT * FROM a UNION SELECT * FROM b INTERSECT SELECT 2 EXCEPT SELECT 3 ORDER BY 1 NULLS LAST LIMIT 1, 2;
VALUES (1, 'a'), (2, 'b');
(SELECT 1) UNION (SELECT 2 ORDER BY 1 LIMIT 1);
SELECT a FROM t1 NATURAL JOIN t2 CROSS JOIN t3 LEFT OUTER JOIN t4 USING (a, b) FULL JOIN t5 ON t5.x = t1.x RIGHT JOIN t6 ON 1;
SELECT * FROM t1 JOIN (t2 JOIN t3 ON t2.a = t3.a) ON t1.a = t2.a;
SELECT * FROM (SELECT 1 AS x) AS s, (VALUES (1)) v;
SELECT CASE WHEN a > 1 THEN 'big' WHEN a IS NULL THEN NULL ELSE 'small' END, CASE a WHEN 1 THEN 2 END FROM t;
SELECT x'0A0b', TRUE, FALSE, NULL, 1e10, 1.5E-3, .5, 99999999999999999999, 'it''s';
SELECT - - 5, + - x, ~x, NOT NOT x, -x COLLATE nocase, a || b || c, a & b | c << 2 >> 1;
SELECT a IS NOT b, a IS b, a ISNULL, a NOTNULL, a NOT NULL, a IS DISTINCT FROM b, a IS NOT DISTINCT FROM b;
SELECT a NOT LIKE 'x%' ESCAPE '\', a GLOB '*x', a NOT GLOB 'y', a LIKE b;
SELECT 1 WHERE EXISTS (SELECT 1) AND NOT EXISTS (SELECT 2) AND a IN (SELECT b FROM t) AND a NOT IN t;
SELECT count(DISTINCT a), count(*), group_concat(a, ':'), random(), max(a) FILTERED FROM t;
SELECT a == b, a != b, a <> b, a = b = c, 1 + 2 + 3, 1 - 2 - 3, 2 * 3 / 4 % 5;
SELECT a FROM t GROUP BY a, "the topic of {body}" AS topic HAVING count(*) > 1;
CREATE TRIGGER tr1 AFTER INSERT ON notes BEGIN UPDATE notes SET score = CASE WHEN score > 1 THEN 1 ELSE score END; END;
SELECT 1; ; SELECT 2
