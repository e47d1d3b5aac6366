// Package sqllogictest owns uqe's runner for SQLite's sqllogictest files
// (testdata/sqllogictest): a parser of .test files into records and a runner
// that executes them through any database/sql driver and checks the results
// exactly as SQLite's reference runner does.
//
// The format (about.wiki beside the test files): records separated by blank
// lines; '#' comment lines removed first; "statement ok|error" then SQL;
// "query <types> [nosort|rowsort|valuesort] [label]" then SQL, "----" and the
// expected values one per line, or one "N values hashing to <md5>" line;
// "hash-threshold N"; "halt"; "skipif|onlyif <engine>" in front of a record.
//
// Checking, as the reference runner does:
//   - every value is rendered by its column's type letter, not its Go type
//     (see Render): 'I' "%d", 'R' "%.3f", 'T' the text; NULL "NULL", the empty
//     string "(empty)", unprintable bytes '@';
//   - rowsort sorts rows by their rendered values compared as strings, column
//     by column; valuesort sorts all values on their own;
//   - a "N values hashing to H" expectation is met when the result has N
//     values and the md5 of each rendered value followed by "\n" is H;
//     otherwise the values are compared one by one. The hash-threshold
//     records only decide which of the two forms a file uses; the runner
//     compares in the form the expected block is written in, so it checks
//     plain values even above the threshold, and a result with fewer or more
//     values than expected fails (the reference runner's line loop stops at
//     the shorter of the two);
//   - an error from the driver while reading rows ends the result, as a
//     failing sqlite3_step does in the reference runner: the values read so
//     far are compared (slt_lang_aggfunc.test expects an empty result from a
//     sum() that overflows); an error from QueryContext fails the query;
//   - queries with the same label must give the same result (the label holds
//     the expected values of the first query that carries it, run or not);
//   - "statement error" passes when the statement returns any error; a
//     query with a different number of columns than its type string fails.
//
// Each record runs with its own optional timeout on one connection held for
// the whole file. Records excluded by skipif/onlyif for Options.Engine are
// counted apart (Result.OtherEngine); records named in Options.Skip are
// counted as skipped. The suite over the real files, which needs uqe's driver,
// is suite_test.go, with its skip list and failure
// baseline in testdata/sqllogictest/{skip,baseline}.txt (see ReadList).
package sqllogictest
