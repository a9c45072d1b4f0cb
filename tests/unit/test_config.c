/* tests/unit/test_config.c - the alloctop.yaml loader (src/config.c).
 *
 * Checks the key table against the man page and config/alloctop.yaml, the
 * values of every unit syntax, the exact message (file:line:col: key:
 * problem) of each kind of bad file in tests/data/config/, the search
 * order, and that a dump reads back equal.  Finds the sources through
 * $top_srcdir (set by make check; "." when run by hand from the top).
 *
 * With "--check-config ARGS..." it runs cfg_check_main(), so that
 * tests/config/check_config.sh can test the command without alloctop.
 */
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cfg.h"
#include "check.h"

static const char *srcdir;
static char tmpdir[] = "/tmp/test_config.XXXXXX";

static const char *src_path(const char *rel)
{
	static char buf[4][PATH_MAX];
	static int next;
	char *p = buf[next++ % 4];

	if ((size_t)snprintf(p, PATH_MAX, "%s/%s", srcdir, rel) >= PATH_MAX)
		abort();        /* the test tree is never that deep */
	return p;
}

static const char *tmp_path(const char *rel)
{
	static char buf[4][PATH_MAX];
	static int next;
	char *p = buf[next++ % 4];

	if ((size_t)snprintf(p, PATH_MAX, "%s/%s", tmpdir, rel) >= PATH_MAX)
		abort();
	return p;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	CHECK(f != NULL);
	if (!f)
		return;
	fputs(text, f);
	CHECK(fclose(f) == 0);
}

/* mkdir -p for the few levels the search-order test needs. */
static void make_dirs(const char *path)
{
	char buf[PATH_MAX];
	char *p;

	snprintf(buf, sizeof(buf), "%s", path);
	for (p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(buf, 0700);
		*p = '/';
	}
	mkdir(buf, 0700);
}

/* ---- the table ----------------------------------------------------------- */

static void test_table(void)
{
	struct cfg c;
	char err[256];
	size_t i;
	size_t j;

	CHECK(cfg_key_count() > 40);
	CHECK(cfg_key_count() <= CFG_KEYS_MAX);
	CHECK(cfg_key_at(cfg_key_count()) == NULL);
	for (i = 0; i < cfg_key_count(); i++) {
		const struct cfg_key *k = cfg_key_at(i);

		CHECK(strchr(k->key, '.') != NULL);
		CHECK(k->doc && strlen(k->doc) > 10);
		CHECK(k->def != NULL);
		CHECK(k->min <= k->max);
		for (j = 0; j < i; j++)
			CHECK(strcmp(k->key, cfg_key_at(j)->key) != 0);
	}
	for (i = 0; i < CFG_METRIC_COUNT; i++) {
		CHECK(cfg_metric_name(i) != NULL);
		CHECK(cfg_metric_unit(i) != NULL);
	}
	CHECK(cfg_metric_name(CFG_METRIC_COUNT) == NULL);

	cfg_defaults(&c);
	CHECK(cfg_validate(&c, err, sizeof(err)) == 0);
	CHECK_STR(err, "");
	CHECK(c.tick.interval_ms == 1000);
	CHECK(c.tick.sample_bytes == 524288);
	CHECK(c.thresholds[CFG_M_LIVE_GROWTH].warning == 10 * 1048576.0);
	CHECK(c.thresholds[CFG_M_ALLOC_RATE].critical == 5e6);
	CHECK(c.alerts.fail_on == CFG_FAIL_NONE);
	CHECK_STR(c.alerts.log, "");
	CHECK_STR(c.path, "");
}

/* The man page's CONFIGURATION section lists exactly the table's keys, in
 * ".TP / .B KEY" entries whose text says "default VALUE". */
static void test_man_page(void)
{
	const char *path = src_path("man/alloctop.yaml.5");
	FILE *f = fopen(path, "r");
	char line[512];
	char key[sizeof(line)] = "";
	char text[4096] = "";
	bool seen[CFG_KEYS_MAX] = { false };
	bool in_section = false;
	bool after_tp = false;
	size_t i;
	int entries = 0;

	CHECK(f != NULL);
	if (!f)
		return;
	for (;;) {
		bool eof = !fgets(line, sizeof(line), f);
		bool ends = eof || strncmp(line, ".TP", 3) == 0 ||
			    strncmp(line, ".SH", 3) == 0 ||
			    strncmp(line, ".SS", 3) == 0;

		if (ends && *key) {
			/* Close the entry for key: check its text. */
			for (i = 0; i < cfg_key_count(); i++)
				if (strcmp(cfg_key_at(i)->key, key) == 0)
					break;
			if (i == cfg_key_count()) {
				fprintf(stderr, "man page lists unknown key "
					"%s\n", key);
				CHECK(!"man page key in the table");
			} else {
				const char *def = cfg_key_at(i)->def;
				char want[128];

				snprintf(want, sizeof(want), "default %s",
					 *def ? def : "none");
				if (!strstr(text, want))
					fprintf(stderr, "man: %s: no '%s'\n",
						key, want);
				CHECK(strstr(text, want) != NULL);
				CHECK(!seen[i]);
				seen[i] = true;
			}
			entries++;
			*key = '\0';
		}
		if (eof)
			break;
		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, ".SH", 3) == 0)
			in_section = strcmp(line, ".SH CONFIGURATION") == 0;
		if (!in_section)
			continue;
		if (after_tp && strncmp(line, ".B ", 3) == 0) {
			snprintf(key, sizeof(key), "%s", line + 3);
			*text = '\0';
		} else if (*key) {
			/* Join lines with spaces, as roff fills them. */
			snprintf(text + strlen(text),
				 sizeof(text) - strlen(text), "%s ", line);
		}
		after_tp = strncmp(line, ".TP", 3) == 0;
	}
	fclose(f);
	for (i = 0; i < cfg_key_count(); i++) {
		if (!seen[i])
			fprintf(stderr, "man page misses %s\n",
				cfg_key_at(i)->key);
		CHECK(seen[i]);
	}
	CHECK(entries == (int)cfg_key_count());
}

/* config/alloctop.yaml sets every key, to its default. */
static void test_default_file(void)
{
	const char *path = src_path("config/alloctop.yaml");
	struct cfg c;
	struct cfg d;
	char err[512];
	size_t i;

	CHECK(cfg_load(&c, path, err, sizeof(err)) == 0);
	CHECK_STR(err, "");
	CHECK_STR(c.path, path);
	cfg_defaults(&d);
	CHECK(cfg_equal(&c, &d));
	for (i = 0; i < cfg_key_count(); i++) {
		if (!c.from_file[i])
			fprintf(stderr, "config/alloctop.yaml misses %s\n",
				cfg_key_at(i)->key);
		CHECK(c.from_file[i]);
	}
}

/* ---- good files ---------------------------------------------------------- */

static void test_good_files(void)
{
	struct cfg c;
	struct cfg d;
	char err[512];
	const struct cfg_threshold *t = c.thresholds;

	CHECK(cfg_load(&c, src_path("tests/data/config/good-minimal.yaml"),
		       err, sizeof(err)) == 0);
	CHECK_STR(err, "");
	CHECK(c.tick.interval_ms == 500);
	CHECK(c.from_file[0]);
	CHECK(!c.from_file[1]);
	cfg_defaults(&d);
	d.tick.interval_ms = 500;
	CHECK(cfg_equal(&c, &d));

	CHECK(cfg_load(&c, src_path("tests/data/config/good-units.yaml"),
		       err, sizeof(err)) == 0);
	CHECK_STR(err, "");
	CHECK(c.tick.interval_ms == 250);
	CHECK(c.tick.sample_bytes == 1536);             /* 1.5KiB */
	CHECK(c.tick.history_ticks == 7200);
	CHECK(t[CFG_M_ALLOC_RATE].warning == 1e5);      /* 100k/s */
	CHECK(t[CFG_M_ALLOC_RATE].critical == 2e5);     /* 12M/min */
	CHECK(t[CFG_M_ALLOC_RATE].raise_after_ticks == 1);
	CHECK(t[CFG_M_ALLOC_RATE].clear_after_ticks == 10);
	CHECK(t[CFG_M_ALLOC_BYTES_RATE].warning == 64e6);       /* 64MB/s */
	CHECK(t[CFG_M_ALLOC_BYTES_RATE].critical == 1073741824.0);
	CHECK(t[CFG_M_ALLOC_BYTES_RATE].raise_after_ticks == 3);
	CHECK(t[CFG_M_LIVE_BYTES].warning == 5e8);
	CHECK(t[CFG_M_LIVE_BYTES].critical == 0);       /* off */
	CHECK(t[CFG_M_LIVE_GROWTH].warning == 60 * 1048576.0); /* 1MiB/s */
	CHECK(t[CFG_M_LIVE_GROWTH].critical ==
	      6 * 1073741824.0 / 60);                   /* 6GiB/h */
	CHECK(t[CFG_M_SLACK].warning == 0.2);           /* 20% */
	CHECK(t[CFG_M_SLACK].critical == 0.75);
	CHECK(t[CFG_M_THREADS].warning == 0);
	CHECK(t[CFG_M_THREADS].critical == 64);
	CHECK(t[CFG_M_FDS].warning == 800);             /* default kept */
	CHECK(t[CFG_M_FDS].critical == 4096);
	CHECK(t[CFG_M_SITE_GROWTH].warning == 2048);    /* bytes/min */
	CHECK(c.detect.change_point == 7.5);
	CHECK(c.detect.anomaly_z == 3);
	CHECK(c.detect.trend_confidence == 0.9999);
	CHECK(c.detect.min_ticks == 2);
	CHECK(c.detect.leak_window_ticks == 7200);
	CHECK(c.detect.periodicity == 0.5);             /* 5e-1 */
	CHECK(c.hotspot.warning_share == 0);
	CHECK(c.hotspot.critical_share == 1);
	CHECK_STR(c.alerts.log, "/var/log/alloctop: alerts.log");
	CHECK(c.alerts.fail_on == CFG_FAIL_WARNING);

	CHECK(cfg_load(&c, src_path("tests/data/config/good-flow.yaml"), err,
		       sizeof(err)) == 0);
	CHECK_STR(err, "");
	CHECK(c.tick.interval_ms == 2000);
	CHECK(c.tick.sample_bytes == 1);
	CHECK(t[CFG_M_THREADS].warning == 10);
	CHECK(t[CFG_M_THREADS].critical == 20);
}

/* ---- bad files: the exact message ---------------------------------------- */

static const struct {
	const char *file;       /* in tests/data/config/ */
	int rc;
	const char *msg;        /* after "PATH" */
} bad[] = {
	{ "bad-syntax.yaml", -EINVAL, ":3:12: syntax error: mapping values "
	  "are not allowed in this context" },
	{ "bad-syntax-unclosed.yaml", -EINVAL, ":2:7: syntax error: did not "
	  "find expected ',' or '}' (while parsing a flow mapping at line 1)" },
	{ "bad-unknown-key.yaml", -EINVAL, ":3:3: tick.intervall_ms: unknown "
	  "key (did you mean 'interval_ms'?)" },
	{ "bad-unknown-section.yaml", -EINVAL, ":3:1: colours: unknown key" },
	{ "bad-unknown-deep.yaml", -EINVAL, ":3:5: thresholds.live_bytes."
	  "warnign: unknown key (did you mean 'warning'?)" },
	{ "bad-type-word.yaml", -EINVAL, ":2:3: tick.interval_ms: expected a "
	  "whole number (got 'fast')" },
	{ "bad-type-list.yaml", -EINVAL, ":2:3: tick.history: must be a "
	  "single value (got a list)" },
	{ "bad-type-section.yaml", -EINVAL, ":1:1: tick: must be a section "
	  "of keys (got a single value)" },
	{ "bad-type-trailing.yaml", -EINVAL, ":2:3: tick.interval_ms: "
	  "expected a whole number (got '500ms')" },
	{ "bad-type-fraction.yaml", -EINVAL, ":2:3: tick.interval_ms: must "
	  "be a whole number (got 1.5)" },
	{ "bad-type-hex.yaml", -EINVAL, ":2:3: detect.min_ticks: expected a "
	  "whole number (got '0x10')" },
	{ "bad-type-negative.yaml", -EINVAL, ":2:3: detect.anomaly_z: "
	  "expected a number such as 4 or 0.95 (got '-3')" },
	{ "bad-type-unit.yaml", -EINVAL, ":2:3: tick.sample_bytes: expected "
	  "a size such as 524288, 512KiB or 64MB (got '5 Mb')" },
	{ "bad-empty-value.yaml", -EINVAL, ":2:3: tick.interval_ms: missing "
	  "value (expected a whole number)" },
	{ "bad-range.yaml", -EINVAL, ":4:3: detect.leak_window: must be "
	  "between 10 and 86400 (got 0)" },
	{ "bad-range-real.yaml", -EINVAL, ":2:3: detect.trend_confidence: "
	  "must be between 0.5 and 0.9999 (got 1)" },
	{ "bad-range-level.yaml", -EINVAL, ":3:5: thresholds.slack.warning: "
	  "must be off or at most 1 (got 150%)" },
	{ "bad-warn-gt-crit.yaml", -EINVAL, ":3:5: thresholds.live_bytes."
	  "warning: must not be above thresholds.live_bytes.critical "
	  "(8GiB > 2GiB)" },
	{ "bad-crit-below-default.yaml", -EINVAL, ":3:5: thresholds.threads."
	  "critical: must not be below thresholds.threads.warning "
	  "(100 < 500)" },
	{ "bad-cross-history.yaml", -EINVAL, ":2:3: tick.history: must not "
	  "be below detect.leak_window (120 < 300)" },
	{ "bad-hotspot-order.yaml", -EINVAL, ":2:3: hotspot.warning_share: "
	  "must not be above hotspot.critical_share (0.5 > 0.2)" },
	{ "bad-fail-on.yaml", -EINVAL, ":2:3: alerts.fail_on: expected none, "
	  "warning or critical (got 'always')" },
	{ "bad-empty.yaml", -EINVAL, ":1:1: no settings in the file "
	  "(expected sections such as 'tick:')" },
	{ "bad-comments-only.yaml", -EINVAL, ":1:1: no settings in the file "
	  "(expected sections such as 'tick:')" },
	{ "bad-duplicate.yaml", -EINVAL, ":4:3: tick.interval_ms: duplicate "
	  "key" },
	{ "bad-top-list.yaml", -EINVAL, ":1:1: the top level must be a "
	  "section of keys such as 'tick:' (got a list)" },
	{ "bad-two-docs.yaml", -EINVAL, ":3:1: only one YAML document is "
	  "allowed (found a second '---')" },
	{ "bad-alias.yaml", -EINVAL, ":2:16: anchors (&fast) are not "
	  "supported" },
	{ "bad-huge.yaml", -EINVAL, ":2:3: tick.interval_ms: must be between "
	  "100 and 60000 (got 184467440737095516161844674407370955161)" },
	{ "bad-huge-size.yaml", -EINVAL, ":2:3: tick.sample_bytes: must be "
	  "between 0 and 1GiB (got 99999999999999999999KiB)" },
	{ "bad-huge-real.yaml", -EINVAL, ":2:3: detect.change_point: must be "
	  "between 1 and 50 (got 1e999)" },
	{ "bad-not-utf8.yaml", -EINVAL, ":3:13: invalid trailing UTF-8 octet "
	  "(byte 0x28)" },
	{ "bad-binary.yaml", -EINVAL, ":1:1: control characters are not "
	  "allowed (byte 0x7F)" },
	{ "bad-tab.yaml", -EINVAL, ":2:1: syntax error: a tab character; "
	  "YAML indents with spaces only" },
	{ "bad-empty-section.yaml", -EINVAL, ":1:1: tick: empty section "
	  "(indent its keys under it, or remove it)" },
	{ "bad-complex-key.yaml", -EINVAL, ":2:5: keys must be plain names, "
	  "not lists or sections" },
	{ "bad-deep.yaml", -EINVAL, ":17:33: nested more than 16 levels "
	  "deep" },
	{ "does-not-exist.yaml", -ENOENT, ": cannot open: No such file or "
	  "directory" },
	{ "", -EISDIR, ": cannot read: Is a directory" },
};

static void test_bad_files(void)
{
	struct cfg c;
	struct cfg d;
	char err[512];
	char want[PATH_MAX + 256];
	size_t i;

	cfg_defaults(&d);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char rel[PATH_MAX];
		const char *path;
		int rc;

		snprintf(rel, sizeof(rel), "tests/data/config/%s",
			 bad[i].file);
		path = src_path(rel);
		memset(&c, 0x5A, sizeof(c));
		rc = cfg_load(&c, path, err, sizeof(err));
		if (rc != bad[i].rc)
			fprintf(stderr, "%s: rc %d, want %d\n", bad[i].file,
				rc, bad[i].rc);
		CHECK(rc == bad[i].rc);
		snprintf(want, sizeof(want), "%s%s", path, bad[i].msg);
		CHECK_STR(err, want);
		CHECK(strchr(err, '\n') == NULL);
		/* On error the struct holds the defaults. */
		CHECK(cfg_equal(&c, &d));
		CHECK_STR(c.path, "");
	}
}

/* Special files and limits, made at run time. */
static void test_special_files(void)
{
	struct cfg c;
	char err[512];
	char want[PATH_MAX + 256];
	const char *big = tmp_path("big.yaml");
	FILE *f;
	int i;

	CHECK(cfg_load(&c, "/dev/null", err, sizeof(err)) == -EINVAL);
	CHECK_STR(err, "/dev/null: not a regular file");

	f = fopen(big, "w");
	CHECK(f != NULL);
	if (f) {
		fputs("tick:\n", f);
		for (i = 0; i < 100000; i++)
			fputs("  # padding\n", f);
		fclose(f);
	}
	CHECK(cfg_load(&c, big, err, sizeof(err)) == -EFBIG);
	snprintf(want, sizeof(want), "%s: file too large (more than 1024 KiB)",
		 big);
	CHECK_STR(err, want);

	if (geteuid() != 0) {
		const char *locked = tmp_path("locked.yaml");

		write_file(locked, "tick:\n  interval_ms: 500\n");
		chmod(locked, 0);
		CHECK(cfg_load(&c, locked, err, sizeof(err)) == -EACCES);
		snprintf(want, sizeof(want),
			 "%s: cannot open: Permission denied", locked);
		CHECK_STR(err, want);
	}

	/* Messages are cut, never overrun; errlen 0 writes nothing. */
	memset(err, 'x', sizeof(err));
	CHECK(cfg_load(&c, "/nonexistent/alloctop.yaml", err, 8) == -ENOENT);
	CHECK_STR(err, "/nonexi");
	CHECK(err[8] == 'x');
	err[0] = 'y';
	CHECK(cfg_load(&c, "/nonexistent/alloctop.yaml", err, 0) == -ENOENT);
	CHECK(err[0] == 'y');
}

/* ---- checks without a file ----------------------------------------------- */

static void test_validate(void)
{
	struct cfg c;
	char err[256];

	cfg_defaults(&c);
	c.tick.interval_ms = 5;
	CHECK(cfg_validate(&c, err, sizeof(err)) == -EINVAL);
	CHECK_STR(err, "tick.interval_ms: must be between 100 and 60000 "
		  "(got 5)");

	cfg_defaults(&c);
	c.thresholds[CFG_M_LIVE_BYTES].warning = 8 * 1073741824.0;
	CHECK(cfg_validate(&c, err, sizeof(err)) == -EINVAL);
	CHECK_STR(err, "thresholds.live_bytes.warning: must not be above "
		  "thresholds.live_bytes.critical (8GiB > 4GiB)");

	/* "off" on either side disables the order rule. */
	c.thresholds[CFG_M_LIVE_BYTES].critical = 0;
	CHECK(cfg_validate(&c, err, sizeof(err)) == 0);

	cfg_defaults(&c);
	c.alerts.fail_on = (enum cfg_fail_on)7;
	CHECK(cfg_validate(&c, err, sizeof(err)) == -EINVAL);
	CHECK_STR(err, "alerts.fail_on: not one of none, warning or critical");

	cfg_defaults(&c);
	c.detect.trend_confidence = 0.4;
	CHECK(cfg_validate(&c, err, sizeof(err)) == -EINVAL);
	CHECK_STR(err, "detect.trend_confidence: must be between 0.5 and "
		  "0.9999 (got 0.4)");
}

/* ---- search order -------------------------------------------------------- */

static void test_search_order(void)
{
	const char *xdg = tmp_path("xdg");
	const char *home = tmp_path("home");
	const char *sys = tmp_path("etc");
	char f_xdg[PATH_MAX];
	char f_home[PATH_MAX];
	char f_sys[PATH_MAX];
	char d[PATH_MAX];
	char want[PATH_MAX + 256];
	char err[512];
	struct cfg c;

	snprintf(f_xdg, sizeof(f_xdg), "%s/alloctop/alloctop.yaml", xdg);
	snprintf(f_home, sizeof(f_home),
		 "%s/.config/alloctop/alloctop.yaml", home);
	snprintf(f_sys, sizeof(f_sys), "%s/alloctop/alloctop.yaml", sys);
	setenv("XDG_CONFIG_HOME", xdg, 1);
	setenv("HOME", home, 1);

	/* Nothing anywhere: defaults, no error. */
	CHECK(cfg_load_in(&c, NULL, sys, err, sizeof(err)) == 0);
	CHECK_STR(err, "");
	CHECK_STR(c.path, "");
	CHECK(c.tick.interval_ms == 1000);

	snprintf(d, sizeof(d), "%s/alloctop", sys);
	make_dirs(d);
	write_file(f_sys, "tick:\n  interval_ms: 300\n");
	CHECK(cfg_load_in(&c, NULL, sys, err, sizeof(err)) == 0);
	CHECK_STR(c.path, f_sys);
	CHECK(c.tick.interval_ms == 300);

	snprintf(d, sizeof(d), "%s/.config/alloctop", home);
	make_dirs(d);
	write_file(f_home, "tick:\n  interval_ms: 200\n");
	/* XDG_CONFIG_HOME is set, so ~/.config is not looked at. */
	CHECK(cfg_load_in(&c, NULL, sys, err, sizeof(err)) == 0);
	CHECK_STR(c.path, f_sys);
	/* A relative XDG_CONFIG_HOME is ignored: ~/.config it is. */
	setenv("XDG_CONFIG_HOME", "relative/dir", 1);
	CHECK(cfg_load_in(&c, NULL, sys, err, sizeof(err)) == 0);
	CHECK_STR(c.path, f_home);
	CHECK(c.tick.interval_ms == 200);
	unsetenv("XDG_CONFIG_HOME");
	CHECK(cfg_load_in(&c, NULL, sys, err, sizeof(err)) == 0);
	CHECK_STR(c.path, f_home);

	setenv("XDG_CONFIG_HOME", xdg, 1);
	snprintf(d, sizeof(d), "%s/alloctop", xdg);
	make_dirs(d);
	write_file(f_xdg, "tick:\n  interval_ms: 100\n");
	CHECK(cfg_load_in(&c, NULL, sys, err, sizeof(err)) == 0);
	CHECK_STR(c.path, f_xdg);
	CHECK(c.tick.interval_ms == 100);

	/* The explicit file wins; its absence is an error. */
	CHECK(cfg_load_in(&c, f_sys, sys, err, sizeof(err)) == 0);
	CHECK_STR(c.path, f_sys);
	CHECK(cfg_load_in(&c, tmp_path("nope.yaml"), sys, err,
			  sizeof(err)) == -ENOENT);
	snprintf(want, sizeof(want), "%s: cannot open: No such file or "
		 "directory", tmp_path("nope.yaml"));
	CHECK_STR(err, want);

	/* A broken user file is reported, not skipped for the system one. */
	write_file(f_xdg, "tick:\n  interval_ms: 1\n");
	CHECK(cfg_load_in(&c, NULL, sys, err, sizeof(err)) == -EINVAL);
	snprintf(want, sizeof(want), "%s:2:3: tick.interval_ms: must be "
		 "between 100 and 60000 (got 1)", f_xdg);
	CHECK_STR(err, want);
	CHECK(c.tick.interval_ms == 1000);

	unlink(f_xdg);
	unlink(f_home);
	unlink(f_sys);
	unsetenv("XDG_CONFIG_HOME");
}

/* ---- dump ---------------------------------------------------------------- */

static void test_dump_round_trip(void)
{
	const char *path = tmp_path("dump.yaml");
	struct cfg a;
	struct cfg b;
	char err[512];
	FILE *f;

	CHECK(cfg_load(&a, src_path("tests/data/config/good-units.yaml"),
		       err, sizeof(err)) == 0);
	a.detect.trend_confidence = 0.1 + 0.2 + 0.5;    /* not short */
	a.thresholds[CFG_M_SLACK].warning = 1.0 / 3;
	snprintf(a.alerts.log, sizeof(a.alerts.log), "a \"quoted\"\\path\t");
	CHECK(cfg_validate(&a, err, sizeof(err)) == 0);
	f = fopen(path, "w");
	CHECK(f != NULL);
	if (!f)
		return;
	CHECK(cfg_dump(&a, f, true) == 0);
	fclose(f);
	CHECK(cfg_load(&b, path, err, sizeof(err)) == 0);
	CHECK_STR(err, "");
	CHECK(cfg_equal(&a, &b));
	CHECK_STR(b.alerts.log, "a \"quoted\"\\path\t");

	/* The defaults read back equal too. */
	cfg_defaults(&a);
	f = fopen(path, "w");
	CHECK(f != NULL);
	if (!f)
		return;
	CHECK(cfg_dump(&a, f, false) == 0);
	fclose(f);
	CHECK(cfg_load(&b, path, err, sizeof(err)) == 0);
	CHECK(cfg_equal(&a, &b));
	unlink(path);
}

/* Numbers mean the same under a locale whose decimal point is a comma. */
static void test_locale(void)
{
	static const char *const names[] = {
		"de_DE.UTF-8", "fr_FR.UTF-8", "de_DE", "fr_FR", NULL,
	};
	const char *const *n;
	struct cfg c;
	char err[512];

	for (n = names; *n; n++)
		if (setlocale(LC_ALL, *n))
			break;
	if (!*n) {
		printf("# no comma locale installed: locale test skipped\n");
		return;
	}
	CHECK(cfg_load(&c, src_path("tests/data/config/good-units.yaml"),
		       err, sizeof(err)) == 0);
	CHECK(c.detect.change_point == 7.5);
	c.detect.change_point = 0.2;
	CHECK(cfg_validate(&c, err, sizeof(err)) == -EINVAL);
	CHECK_STR(err, "detect.change_point: must be between 1 and 50 "
		  "(got 0.2)");
	setlocale(LC_ALL, "C");
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--check-config") == 0)
		return cfg_check_main(argc - 1, argv + 1);

	srcdir = getenv("top_srcdir");
	if (!srcdir || !*srcdir)
		srcdir = ".";
	if (!mkdtemp(tmpdir)) {
		perror("test_config: mkdtemp");
		return 99;
	}
	test_table();
	test_man_page();
	test_default_file();
	test_good_files();
	test_bad_files();
	test_special_files();
	test_validate();
	test_search_order();
	test_dump_round_trip();
	test_locale();

	/* Leave nothing behind; rmdir fails loudly if a test left a file. */
	chmod(tmp_path("locked.yaml"), 0600);
	unlink(tmp_path("locked.yaml"));
	unlink(tmp_path("big.yaml"));
	rmdir(tmp_path("xdg/alloctop"));
	rmdir(tmp_path("xdg"));
	rmdir(tmp_path("home/.config/alloctop"));
	rmdir(tmp_path("home/.config"));
	rmdir(tmp_path("home"));
	rmdir(tmp_path("etc/alloctop"));
	rmdir(tmp_path("etc"));
	CHECK(rmdir(tmpdir) == 0);
	return check_exit();
}
