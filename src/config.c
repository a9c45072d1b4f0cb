/* src/config.c - alloctop.yaml: key table, defaults, loading, checking.
 *
 * One table (keys[] below) lists every setting: its YAML path, kind, range,
 * default, unit and a sentence.  cfg_defaults() parses the default column,
 * the man page and config/alloctop.yaml are tested against it.
 *
 * Loading a file takes three passes over one in-memory copy (at most
 * CFG_FILE_MAX bytes, so nothing below allocates without bound):
 *   1. libyaml events: syntax, encoding, one document, no aliases, and an
 *      index from dotted key to its line and column.  libcyaml reports
 *      neither the position of a syntax error nor that of a key (its
 *      backtrace gives the mark of the event it was handling), so every
 *      message takes its position from this index.
 *   2. libcyaml with the schema (struct raw): sections, unknown keys,
 *      duplicates, section versus value.  Its log_fn (log_capture) keeps
 *      the first error and the backtrace's field names, which we turn into
 *      the dotted key.  Every leaf is loaded as a string: libcyaml 1.3.1
 *      reads "5abc" as 5, "1.5" as 1 and "010" as 8 for integer fields.
 *   3. Our own strict parsers turn the strings into values (units, "off"),
 *      then cfg_validate() checks ranges and cross-field rules.
 * Numbers are parsed and printed in the C locale whatever LC_NUMERIC says
 * (the TUI sets the user's locale for ncursesw).
 *
 * Callers: src/main.c (cfg_load, cfg_check_main); tests/unit/test_config.c.
 */
#include "config.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cyaml/cyaml.h>
#include <yaml.h>

#include "cfg.h"

#ifndef SYSCONFDIR
#define SYSCONFDIR "/etc"
#endif

/* A configuration file is a page of text; 1 MiB bounds what a mistaken
 * --config /dev/zero-like path or a hostile file can make us allocate. */
#define CFG_FILE_MAX (1024 * 1024)
/* Our deepest key is three levels (thresholds.live_bytes.warning); 16
 * leaves room for a clear "unknown key" message before refusing. */
#define DEPTH_MAX 16
/* Longest dotted key we index; longer ones are not ours anyway. */
#define KEYPATH_MAX 128
/* Keys indexed; the schema has about 50, more means mistakes that libcyaml
 * reports at the first one, which is indexed. */
#define INDEX_MAX 256

/* ---- metrics ------------------------------------------------------------ */

static const struct {
	const char *name;
	const char *unit;
} metrics[CFG_METRIC_COUNT] = {
	[CFG_M_ALLOC_RATE] = { "alloc_rate", "allocs/s" },
	[CFG_M_ALLOC_BYTES_RATE] = { "alloc_bytes_rate", "bytes/s" },
	[CFG_M_LIVE_BYTES] = { "live_bytes", "bytes" },
	[CFG_M_LIVE_GROWTH] = { "live_growth", "bytes/min" },
	[CFG_M_SLACK] = { "slack", "ratio" },
	[CFG_M_THREADS] = { "threads", "threads" },
	[CFG_M_FDS] = { "fds", "fds" },
	[CFG_M_SITE_GROWTH] = { "site_growth", "bytes/min" },
};

const char *cfg_metric_name(enum cfg_metric m)
{
	return (unsigned)m < CFG_METRIC_COUNT ? metrics[m].name : NULL;
}

const char *cfg_metric_unit(enum cfg_metric m)
{
	return (unsigned)m < CFG_METRIC_COUNT ? metrics[m].unit : NULL;
}

static const char *const fail_on_names[] = {
	[CFG_FAIL_NONE] = "none",
	[CFG_FAIL_WARNING] = "warning",
	[CFG_FAIL_CRITICAL] = "critical",
};

const char *cfg_fail_on_name(enum cfg_fail_on f)
{
	return (unsigned)f < 3 ? fail_on_names[f] : NULL;
}

/* ---- what libcyaml fills: every leaf a string, NULL when absent --------- */

struct raw_tick {
	char *interval_ms;      /* tick.interval_ms; optional */
	char *sample_bytes;     /* tick.sample_bytes; optional */
	char *history;          /* tick.history; optional */
};

struct raw_threshold {
	char *warning;          /* optional: "off" disables the level */
	char *critical;         /* optional */
	char *raise_after;      /* optional, ticks */
	char *clear_after;      /* optional, ticks */
};

struct raw_thresholds {
	struct raw_threshold m[CFG_METRIC_COUNT];
};

struct raw_detect {
	char *change_point;     /* all optional: defaults suit most programs */
	char *anomaly_z;
	char *trend_confidence;
	char *min_ticks;
	char *leak_window;
	char *periodicity;
};

struct raw_hotspot {
	char *warning_share;    /* optional */
	char *critical_share;   /* optional */
};

struct raw_alerts {
	char *log;              /* optional: no alert log by default */
	char *fail_on;          /* optional */
};

struct raw {
	struct raw_tick tick;
	struct raw_thresholds thresholds;
	struct raw_detect detect;
	struct raw_hotspot hotspot;
	struct raw_alerts alerts;
};

/* Leaves are strings parsed by us (see the top of the file); PATH_MAX - 1
 * bounds the longest legitimate value, a file name. */
#define LEAF(key, structure, member) \
	CYAML_FIELD_STRING_PTR(key, CYAML_FLAG_OPTIONAL | CYAML_FLAG_POINTER, \
			       structure, member, 0, PATH_MAX - 1)

static const cyaml_schema_field_t threshold_fields[] = {
	LEAF("warning", struct raw_threshold, warning),
	LEAF("critical", struct raw_threshold, critical),
	LEAF("raise_after", struct raw_threshold, raise_after),
	LEAF("clear_after", struct raw_threshold, clear_after),
	CYAML_FIELD_END
};

/* Each metric's section is optional: an absent one keeps its defaults. */
#define METRIC(name, idx) \
	CYAML_FIELD_MAPPING(name, CYAML_FLAG_OPTIONAL, struct raw_thresholds, \
			    m[idx], threshold_fields)

static const cyaml_schema_field_t thresholds_fields[] = {
	METRIC("alloc_rate", CFG_M_ALLOC_RATE),
	METRIC("alloc_bytes_rate", CFG_M_ALLOC_BYTES_RATE),
	METRIC("live_bytes", CFG_M_LIVE_BYTES),
	METRIC("live_growth", CFG_M_LIVE_GROWTH),
	METRIC("slack", CFG_M_SLACK),
	METRIC("threads", CFG_M_THREADS),
	METRIC("fds", CFG_M_FDS),
	METRIC("site_growth", CFG_M_SITE_GROWTH),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t tick_fields[] = {
	LEAF("interval_ms", struct raw_tick, interval_ms),
	LEAF("sample_bytes", struct raw_tick, sample_bytes),
	LEAF("history", struct raw_tick, history),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t detect_fields[] = {
	LEAF("change_point", struct raw_detect, change_point),
	LEAF("anomaly_z", struct raw_detect, anomaly_z),
	LEAF("trend_confidence", struct raw_detect, trend_confidence),
	LEAF("min_ticks", struct raw_detect, min_ticks),
	LEAF("leak_window", struct raw_detect, leak_window),
	LEAF("periodicity", struct raw_detect, periodicity),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t hotspot_fields[] = {
	LEAF("warning_share", struct raw_hotspot, warning_share),
	LEAF("critical_share", struct raw_hotspot, critical_share),
	CYAML_FIELD_END
};

static const cyaml_schema_field_t alerts_fields[] = {
	LEAF("log", struct raw_alerts, log),
	LEAF("fail_on", struct raw_alerts, fail_on),
	CYAML_FIELD_END
};

/* Every section is optional: a file may set only what it changes. */
static const cyaml_schema_field_t raw_fields[] = {
	CYAML_FIELD_MAPPING("tick", CYAML_FLAG_OPTIONAL, struct raw, tick,
			    tick_fields),
	CYAML_FIELD_MAPPING("thresholds", CYAML_FLAG_OPTIONAL, struct raw,
			    thresholds, thresholds_fields),
	CYAML_FIELD_MAPPING("detect", CYAML_FLAG_OPTIONAL, struct raw, detect,
			    detect_fields),
	CYAML_FIELD_MAPPING("hotspot", CYAML_FLAG_OPTIONAL, struct raw,
			    hotspot, hotspot_fields),
	CYAML_FIELD_MAPPING("alerts", CYAML_FLAG_OPTIONAL, struct raw, alerts,
			    alerts_fields),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t raw_schema = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, struct raw, raw_fields),
};

/* ---- the key table ------------------------------------------------------ */

struct key_def {
	struct cfg_key k;
	size_t cfg_off;         /* where the value lives in struct cfg */
	size_t raw_off;         /* its text from libcyaml, in struct raw */
};

#define KEY(name, kind, unit, lo, hi, def, cmember, rmember, doc) \
	{ { name, kind, unit, lo, hi, def, doc }, \
	  offsetof(struct cfg, cmember), offsetof(struct raw, rmember) }

#define LEVEL_KEY(mi, name, unit, hi, def, level, what, how) \
	KEY("thresholds." name "." #level, CFG_K_LEVEL, unit, 0, hi, def, \
	    thresholds[mi].level, thresholds.m[mi].level, \
	    how " when " what " reaches this level (off: never).")

/* The four keys of one metric; levels are >= comparisons. */
#define THRESH(mi, name, unit, hi, warn, crit, what) \
	LEVEL_KEY(mi, name, unit, hi, warn, warning, what, "Warn"), \
	LEVEL_KEY(mi, name, unit, hi, crit, critical, what, \
		  "Raise a critical alert"), \
	KEY("thresholds." name ".raise_after", CFG_K_UINT, CFG_U_TICKS, 1, \
	    3600, "3", thresholds[mi].raise_after_ticks, \
	    thresholds.m[mi].raise_after, \
	    "Ticks " what " must stay at or above a level to alert."), \
	KEY("thresholds." name ".clear_after", CFG_K_UINT, CFG_U_TICKS, 1, \
	    3600, "5", thresholds[mi].clear_after_ticks, \
	    thresholds.m[mi].clear_after, \
	    "Ticks " what " must stay below a level to clear its alert.")

#define KIB 1024.0
#define MIB (1024.0 * KIB)
#define GIB (1024.0 * MIB)
#define PIB (1024.0 * 1024.0 * GIB)

static const struct key_def keys[] = {
	KEY("tick.interval_ms", CFG_K_UINT, CFG_U_MS, 100, 60000, "1000",
	    tick.interval_ms, tick.interval_ms,
	    "Time between two snapshots of the target."),
	KEY("tick.sample_bytes", CFG_K_SIZE, CFG_U_BYTES, 0, GIB, "512KiB",
	    tick.sample_bytes, tick.sample_bytes,
	    "Mean bytes allocated between two sampled call stacks "
	    "(0: no stacks, 1: every allocation)."),
	KEY("tick.history", CFG_K_UINT, CFG_U_TICKS, 60, 86400, "3600",
	    tick.history_ticks, tick.history,
	    "Ticks of history kept per metric and per call site."),
	/* Defaults are deliberately loose: alerts are for outliers. */
	THRESH(CFG_M_ALLOC_RATE, "alloc_rate", CFG_U_PER_SEC, 1e12,
	       "1M/s", "5M/s", "the allocation rate"),
	THRESH(CFG_M_ALLOC_BYTES_RATE, "alloc_bytes_rate",
	       CFG_U_BYTES_PER_SEC, PIB, "1GiB/s", "4GiB/s",
	       "the rate of bytes allocated"),
	THRESH(CFG_M_LIVE_BYTES, "live_bytes", CFG_U_BYTES, PIB, "1GiB",
	       "4GiB", "the live heap"),
	THRESH(CFG_M_LIVE_GROWTH, "live_growth", CFG_U_BYTES_PER_MIN, PIB,
	       "10MiB/min", "100MiB/min", "the growth of the live heap"),
	THRESH(CFG_M_SLACK, "slack", CFG_U_RATIO, 1, "0.3", "0.5",
	       "the share of allocated bytes not requested"),
	/* Linux caps threads at 4194304 (pid_max) and fds at 2^30 (nr_open);
	 * 1024 is the usual soft limit of open files. */
	THRESH(CFG_M_THREADS, "threads", CFG_U_COUNT, 4194304, "500", "2000",
	       "the number of threads"),
	THRESH(CFG_M_FDS, "fds", CFG_U_COUNT, 1073741824, "800", "1000",
	       "the number of open file descriptors"),
	THRESH(CFG_M_SITE_GROWTH, "site_growth", CFG_U_BYTES_PER_MIN, PIB,
	       "1MiB/min", "10MiB/min", "one call site's live growth"),
	KEY("detect.change_point", CFG_K_REAL, CFG_U_NONE, 1, 50, "12",
	    detect.change_point, detect.change_point,
	    "CUSUM threshold, in standard deviations, for a change of level."),
	KEY("detect.anomaly_z", CFG_K_REAL, CFG_U_NONE, 1, 20, "6",
	    detect.anomaly_z, detect.anomaly_z,
	    "Distance from the moving mean, in standard deviations, "
	    "that makes one tick an anomaly."),
	KEY("detect.trend_confidence", CFG_K_REAL, CFG_U_NONE, 0.5, 0.9999,
	    "0.999", detect.trend_confidence, detect.trend_confidence,
	    "Confidence the trend test needs to call a series growing."),
	KEY("detect.min_ticks", CFG_K_UINT, CFG_U_TICKS, 2, 3600, "20",
	    detect.min_ticks, detect.min_ticks,
	    "Ticks of history needed before a pattern is classified."),
	KEY("detect.leak_window", CFG_K_UINT, CFG_U_TICKS, 10, 86400, "300",
	    detect.leak_window_ticks, detect.leak_window,
	    "Ticks the leak test looks back over."),
	KEY("detect.periodicity", CFG_K_REAL, CFG_U_RATIO, 0, 1, "0.3",
	    detect.periodicity, detect.periodicity,
	    "Autocorrelation a cycle needs to be reported as periodic."),
	KEY("hotspot.warning_share", CFG_K_REAL, CFG_U_RATIO, 0, 1, "0.1",
	    hotspot.warning_share, hotspot.warning_share,
	    "Share of the live bytes from which a call site is shown "
	    "in the warning colour."),
	KEY("hotspot.critical_share", CFG_K_REAL, CFG_U_RATIO, 0, 1, "0.25",
	    hotspot.critical_share, hotspot.critical_share,
	    "Share of the live bytes from which a call site is shown "
	    "in the critical colour."),
	KEY("alerts.log", CFG_K_PATH, CFG_U_NONE, 0, 0, "",
	    alerts.log, alerts.log,
	    "File to which every raised and cleared alert is appended."),
	KEY("alerts.fail_on", CFG_K_FAIL_ON, CFG_U_NONE, 0, 0, "none",
	    alerts.fail_on, alerts.fail_on,
	    "Alert level that makes a batch run exit with status 3 "
	    "(none, warning or critical)."),
};

#define NKEYS (sizeof(keys) / sizeof(keys[0]))
_Static_assert(NKEYS <= CFG_KEYS_MAX, "raise CFG_KEYS_MAX in cfg.h");

size_t cfg_key_count(void)
{
	return NKEYS;
}

const struct cfg_key *cfg_key_at(size_t i)
{
	return i < NKEYS ? &keys[i].k : NULL;
}

static const struct key_def *key_find(const char *name)
{
	size_t i;

	for (i = 0; i < NKEYS; i++)
		if (strcmp(keys[i].k.key, name) == 0)
			return &keys[i];
	return NULL;
}

/* ---- numbers in the C locale -------------------------------------------- */

static locale_t c_locale(void)
{
	static locale_t loc;    /* created once, kept for the process */

	if (loc == (locale_t)0)
		loc = newlocale(LC_ALL_MASK, "C", (locale_t)0);
	return loc;
}

__attribute__((format(printf, 3, 4)))
static void c_snprintf(char *buf, size_t len, const char *fmt, ...)
{
	locale_t loc = c_locale();
	locale_t old = loc ? uselocale(loc) : (locale_t)0;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	if (loc)
		uselocale(old);
}

/* A decimal number as written: digits [. digits] [e [+-] digits].  No
 * sign, no hex, no inf/nan, no spaces: the file must say what it means. */
struct num {
	uint64_t mant;          /* significant digits, without the point */
	int exp;                /* value = mant * 10^exp */
	bool big;               /* integer part beyond 2^64: too large */
	bool inexact;           /* non-zero fraction digits were dropped */
	double val;             /* correctly rounded (strtod, C locale) */
};

static const char *lex_num(const char *s, struct num *n, bool allow_exp)
{
	const char *p = s;
	char tmp[64];
	size_t len;
	bool frac = false;

	memset(n, 0, sizeof(*n));
	if (*p < '0' || *p > '9')
		return NULL;
	for (;; p++) {
		unsigned d;

		if (*p == '.' && !frac && p[1] >= '0' && p[1] <= '9') {
			frac = true;
			continue;
		}
		if (*p < '0' || *p > '9')
			break;
		d = (unsigned)(*p - '0');
		if (n->mant <= (UINT64_MAX - d) / 10) {
			n->mant = n->mant * 10 + d;
			n->exp -= frac;
		} else if (!frac) {
			n->big = true;
			n->exp++;
		} else if (d != 0) {
			n->inexact = true;
		}
	}
	if (allow_exp && (*p == 'e' || *p == 'E')) {
		const char *q = p + 1;
		int sign = 1;
		int e = 0;

		if (*q == '+' || *q == '-')
			sign = *q++ == '-' ? -1 : 1;
		if (*q < '0' || *q > '9')
			return NULL;
		for (; *q >= '0' && *q <= '9'; q++)
			if (e < 10000)
				e = e * 10 + (*q - '0');
		n->exp += sign * e;
		p = q;
	}
	len = (size_t)(p - s);
	if (len >= sizeof(tmp)) {
		n->val = n->big ? HUGE_VAL : 0;
		if (!n->big && n->mant != 0) {
			/* Too many digits to copy: a long fraction. */
			n->val = (double)n->mant * pow(10.0, n->exp);
		}
	} else {
		memcpy(tmp, s, len);
		tmp[len] = '\0';
		n->val = c_locale() ? strtod_l(tmp, NULL, c_locale())
				    : strtod(tmp, NULL);
	}
	return p;
}

/* n * mult exactly, as a whole number: 0, -ERANGE (above 2^64 - 1) or
 * -EDOM (has a fraction). */
static int num_exact(const struct num *n, uint64_t mult, uint64_t *out)
{
	unsigned __int128 t;
	int e;

	if (n->big)
		return -ERANGE;
	if (n->inexact)
		return -EDOM;
	t = (unsigned __int128)n->mant * mult;
	for (e = n->exp; e > 0; e--) {
		if (t > UINT64_MAX)
			return -ERANGE;
		t *= 10;
	}
	if (n->exp < 0) {
		unsigned __int128 p = 1;

		if (t != 0 && n->exp < -38)
			return -EDOM;
		for (e = n->exp; e < 0 && t != 0; e++)
			p *= 10;
		if (t % p != 0)
			return -EDOM;
		t /= p;
	}
	if (t > UINT64_MAX)
		return -ERANGE;
	*out = (uint64_t)t;
	return 0;
}

struct suffix {
	const char *name;
	double mult;
};

static const struct suffix size_suffixes[] = {
	{ "", 1 }, { "B", 1 },
	{ "KiB", KIB }, { "MiB", MIB }, { "GiB", GIB },
	{ "TiB", 1024 * GIB }, { "PiB", PIB },
	{ "kB", 1e3 }, { "KB", 1e3 }, { "MB", 1e6 }, { "GB", 1e9 },
	{ "TB", 1e12 }, { "PB", 1e15 },
	{ NULL, 0 }
};

static const struct suffix si_suffixes[] = {
	{ "", 1 }, { "k", 1e3 }, { "M", 1e6 }, { "G", 1e9 },
	{ NULL, 0 }
};

/* Per-time suffixes, as the number of seconds in the period. */
static const struct suffix per_suffixes[] = {
	{ "s", 1 }, { "min", 60 }, { "h", 3600 },
	{ NULL, 0 }
};

static const struct suffix *suffix_find(const struct suffix *t,
					const char *s, size_t len)
{
	for (; t->name; t++)
		if (strlen(t->name) == len && memcmp(t->name, s, len) == 0)
			return t;
	return NULL;
}

/* "NUMBER[ ]UNIT[/PER]": multiplier from units (NULL: no unit allowed),
 * period in seconds from the per table (NULL: no /PER allowed; *per_sec
 * stays 0 when absent).  0 or -EINVAL for bad syntax. */
static int lex_quantity(const char *s, struct num *n,
			const struct suffix *units, const struct suffix *per,
			double *mult, double *per_sec, bool allow_exp)
{
	const char *p = lex_num(s, n, allow_exp);
	const char *u;
	const struct suffix *hit;

	*mult = 1;
	*per_sec = 0;
	if (!p)
		return -EINVAL;
	if (*p == ' ' && p[1] != '\0' && p[1] != '/')
		p++;
	u = p;
	while (*p && *p != '/')
		p++;
	if (p != u) {
		hit = units ? suffix_find(units, u, (size_t)(p - u)) : NULL;
		if (!hit)
			return -EINVAL;
		*mult = hit->mult;
	}
	if (*p == '/') {
		p++;
		hit = per ? suffix_find(per, p, strlen(p)) : NULL;
		if (!hit)
			return -EINVAL;
		*per_sec = hit->mult;
	}
	return 0;
}

/* The shortest text that reads back as exactly v (C locale). */
static void fmt_real(char *buf, size_t len, double v)
{
	int prec;

	/* Whole numbers as such: 10, not 1e+01, which sizes do not accept. */
	if (v == floor(v) && fabs(v) < 9007199254740992.0) {
		c_snprintf(buf, len, "%.0f", v);
		return;
	}
	for (prec = 1; prec < 17; prec++) {
		struct num n;

		c_snprintf(buf, len, "%.*g", prec, v);
		if (lex_num(buf, &n, true) && n.val == v)
			return;
	}
	c_snprintf(buf, len, "%.17g", v);
}

/* v with the largest suffix of units that divides it exactly, then per:
 * the text reads back to the same value. */
static void fmt_scaled(char *buf, size_t len, double v,
		       const struct suffix *units, const char *per)
{
	const struct suffix *best = NULL;
	const struct suffix *u;

	if (v >= 1 && v < 9.2e18 && v == floor(v)) {
		for (u = units; u->name; u++)
			if (u->mult > 1 && fmod(v, u->mult) == 0 &&
			    (!best || u->mult > best->mult))
				best = u;
	}
	if (best) {
		fmt_real(buf, len, v / best->mult);
		strncat(buf, best->name, len - strlen(buf) - 1);
	} else {
		fmt_real(buf, len, v);
	}
	if (per)
		strncat(buf, per, len - strlen(buf) - 1);
}

/* The binary suffixes only, so 1000000 prints as is, not as 1MB. */
static const struct suffix bin_suffixes[] = {
	{ "KiB", KIB }, { "MiB", MIB }, { "GiB", GIB },
	{ "TiB", 1024 * GIB }, { "PiB", PIB },
	{ NULL, 0 }
};

/* A value of key d, in its stored unit, as the file could write it. */
static void fmt_value(const struct key_def *d, double v, char *buf,
		      size_t len)
{
	if (d->k.kind == CFG_K_LEVEL && v == 0) {
		snprintf(buf, len, "off");
		return;
	}
	switch (d->k.unit) {
	case CFG_U_BYTES:
		fmt_scaled(buf, len, v, bin_suffixes, NULL);
		break;
	case CFG_U_BYTES_PER_SEC:
		fmt_scaled(buf, len, v, bin_suffixes, "/s");
		break;
	case CFG_U_BYTES_PER_MIN:
		fmt_scaled(buf, len, v, bin_suffixes, "/min");
		break;
	case CFG_U_PER_SEC:
		fmt_scaled(buf, len, v, si_suffixes, "/s");
		break;
	default:
		fmt_real(buf, len, v);
		break;
	}
}

/* ---- values: text to struct cfg ----------------------------------------- */

static void *field(struct cfg *c, const struct key_def *d)
{
	return (char *)c + d->cfg_off;
}

static const void *cfield(const struct cfg *c, const struct key_def *d)
{
	return (const char *)c + d->cfg_off;
}

/* The value of a numeric key as a double, for ranges and messages. */
static double value_of(const struct cfg *c, const struct key_def *d)
{
	switch (d->k.kind) {
	case CFG_K_UINT:
		return *(const unsigned *)cfield(c, d);
	case CFG_K_SIZE:
		return (double)*(const uint64_t *)cfield(c, d);
	case CFG_K_REAL:
	case CFG_K_LEVEL:
		return *(const double *)cfield(c, d);
	default:
		return 0;
	}
}

static const char *expected(const struct key_def *d)
{
	switch (d->k.kind) {
	case CFG_K_UINT:
		return "a whole number";
	case CFG_K_SIZE:
		return "a size such as 524288, 512KiB or 64MB";
	case CFG_K_REAL:
		return d->k.unit == CFG_U_RATIO ?
			"a number such as 0.3 or 30%" :
			"a number such as 4 or 0.95";
	case CFG_K_FAIL_ON:
		return "none, warning or critical";
	case CFG_K_PATH:
		return "a file name";
	case CFG_K_LEVEL:
		break;
	}
	switch (d->k.unit) {
	case CFG_U_BYTES:
		return "a size such as 2GiB, or off";
	case CFG_U_BYTES_PER_SEC:
		return "a rate such as 1GiB/s, or off";
	case CFG_U_BYTES_PER_MIN:
		return "a rate such as 10MiB/min, or off";
	case CFG_U_PER_SEC:
		return "a rate such as 100k/s, or off";
	case CFG_U_RATIO:
		return "a number such as 0.3 or 30%, or off";
	default:
		return "a whole number, or off";
	}
}

static void range_why(const struct key_def *d, const char *got, char *why,
		      size_t len)
{
	char lo[48];
	char hi[48];

	fmt_value(d, d->k.min, lo, sizeof(lo));
	fmt_value(d, d->k.max, hi, sizeof(hi));
	if (d->k.kind == CFG_K_LEVEL)
		snprintf(why, len, "must be off or at most %s (got %s)", hi,
			 got);
	else
		snprintf(why, len, "must be between %s and %s (got %s)", lo,
			 hi, got);
}

/* Parse text s for key d into *c.  0, or -EINVAL with the problem
 * (without the key) in why. */
static int parse_value(struct cfg *c, const struct key_def *d,
		       const char *s, char *why, size_t len)
{
	struct num n;
	double mult;
	double per;
	double v;
	uint64_t u = 0;
	int rc;

	if (d->k.kind == CFG_K_PATH) {
		snprintf(field(c, d), PATH_MAX, "%s", s);
		return 0;
	}
	if (*s == '\0') {
		snprintf(why, len, "missing value (expected %s)", expected(d));
		return -EINVAL;
	}
	if (d->k.kind == CFG_K_FAIL_ON) {
		unsigned i;

		for (i = 0; i < 3; i++) {
			if (strcmp(s, fail_on_names[i]) == 0) {
				*(enum cfg_fail_on *)field(c, d) = i;
				return 0;
			}
		}
		goto bad;
	}
	if (d->k.kind == CFG_K_LEVEL && strcmp(s, "off") == 0) {
		*(double *)field(c, d) = 0;
		return 0;
	}

	switch (d->k.unit) {
	case CFG_U_BYTES:
	case CFG_U_BYTES_PER_SEC:
	case CFG_U_BYTES_PER_MIN:
		rc = lex_quantity(s, &n, size_suffixes,
				  d->k.unit == CFG_U_BYTES ? NULL :
				  per_suffixes, &mult, &per, false);
		break;
	case CFG_U_PER_SEC:
		rc = lex_quantity(s, &n, si_suffixes, per_suffixes, &mult,
				  &per, false);
		break;
	case CFG_U_RATIO: {
		const char *end = lex_num(s, &n, d->k.kind == CFG_K_REAL);

		mult = 1;
		per = 0;
		rc = end && (*end == '\0' || strcmp(end, "%") == 0) ?
			0 : -EINVAL;
		if (rc == 0 && *end == '%')
			mult = 0.01;
		break;
	}
	default:
		rc = lex_quantity(s, &n, NULL, NULL, &mult, &per,
				  d->k.kind == CFG_K_REAL);
		break;
	}
	if (rc < 0)
		goto bad;

	if (d->k.kind == CFG_K_UINT || d->k.kind == CFG_K_SIZE ||
	    (d->k.kind == CFG_K_LEVEL && d->k.unit == CFG_U_COUNT)) {
		rc = num_exact(&n, (uint64_t)mult, &u);
		if (rc == -EDOM) {
			snprintf(why, len, "must be a whole number%s (got %s)",
				 d->k.kind == CFG_K_SIZE ? " of bytes" : "",
				 s);
			return -EINVAL;
		}
		v = rc == -ERANGE ? HUGE_VAL : (double)u;
	} else {
		v = n.val * mult;
		if (per != 0) {
			v /= per;       /* per second now */
			if (d->k.unit == CFG_U_BYTES_PER_MIN)
				v *= 60;
		}
	}
	if (!(v >= d->k.min && v <= d->k.max)) {
		range_why(d, s, why, len);
		return -EINVAL;
	}
	switch (d->k.kind) {
	case CFG_K_UINT:
		*(unsigned *)field(c, d) = (unsigned)u;
		break;
	case CFG_K_SIZE:
		*(uint64_t *)field(c, d) = u;
		break;
	default:
		*(double *)field(c, d) = v;
		break;
	}
	return 0;
bad:
	snprintf(why, len, "expected %s (got '%s')", expected(d), s);
	return -EINVAL;
}

void cfg_defaults(struct cfg *c)
{
	char why[128];
	size_t i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < NKEYS; i++) {
		int rc = parse_value(c, &keys[i], keys[i].k.def, why,
				     sizeof(why));

		(void)rc;
		assert(rc == 0);        /* tests check every default parses */
	}
}

/* ---- where keys are: the libyaml pass ----------------------------------- */

struct mark {
	size_t line;            /* 1-based; 0 = unknown */
	size_t col;             /* 1-based, in characters */
};

struct index {
	struct {
		char key[KEYPATH_MAX];
		struct mark at;
		bool no_value;  /* "key:" with nothing after it */
	} e[INDEX_MAX];
	size_t n;
	struct mark root;       /* first node of the document */
};

static struct mark mark_of(yaml_mark_t m)
{
	struct mark r = { m.line + 1, m.column + 1 };

	return r;
}

/* Whether the first place key is written gives it no value. */
static bool ix_no_value(const struct index *ix, const char *key)
{
	size_t i;

	for (i = 0; ix && i < ix->n; i++)
		if (strcmp(ix->e[i].key, key) == 0)
			return ix->e[i].no_value;
	return false;
}

/* The occurrence-th (1-based) place where key is written. */
static struct mark ix_find(const struct index *ix, const char *key,
			   int occurrence)
{
	struct mark none = { 0, 0 };
	size_t i;

	if (!ix)
		return none;
	if (*key == '\0')
		return ix->root;
	for (i = 0; i < ix->n; i++)
		if (strcmp(ix->e[i].key, key) == 0 && --occurrence == 0)
			return ix->e[i].at;
	return none;
}

/* ---- messages ----------------------------------------------------------- */

struct ctx {
	const char *file;       /* as named in messages; NULL: no file */
	const struct index *ix; /* NULL: no positions */
	const bool *from_file;  /* per key; NULL: nothing from a file */
	char *err;
	size_t errlen;
};

__attribute__((format(printf, 4, 5)))
static void say_at(const struct ctx *x, struct mark at, const char *key,
		   const char *fmt, ...)
{
	size_t used = 0;
	va_list ap;
	int n = 0;

	if (x->errlen == 0)
		return;
	if (x->file && at.line)
		n = snprintf(x->err, x->errlen, "%s:%zu:%zu: ", x->file,
			     at.line, at.col);
	else if (x->file)
		n = snprintf(x->err, x->errlen, "%s: ", x->file);
	used = n > 0 ? (size_t)n : 0;
	if (used < x->errlen && key && *key) {
		n = snprintf(x->err + used, x->errlen - used, "%s: ", key);
		used += n > 0 ? (size_t)n : 0;
	}
	if (used < x->errlen) {
		va_start(ap, fmt);
		vsnprintf(x->err + used, x->errlen - used, fmt, ap);
		va_end(ap);
	}
}

/* ---- pass 1: libyaml ---------------------------------------------------- */

/* Line and column (1-based) of byte offset off in buf, counting UTF-8
 * lead bytes only, as libyaml's marks do. */
static struct mark mark_at_offset(const char *buf, size_t len, size_t off)
{
	struct mark m = { 1, 1 };
	size_t i;

	for (i = 0; i < off && i < len; i++) {
		if (buf[i] == '\n') {
			m.line++;
			m.col = 1;
		} else if (((unsigned char)buf[i] & 0xC0) != 0x80) {
			m.col++;
		}
	}
	return m;
}

static int parse_error(const struct ctx *x, const yaml_parser_t *p,
		       const char *buf, size_t len)
{
	if (p->error == YAML_READER_ERROR) {
		struct mark at = mark_at_offset(buf, len, p->problem_offset);

		if (p->problem_value != -1)
			say_at(x, at, NULL, "%s (byte 0x%02X)", p->problem,
			       (unsigned)p->problem_value & 0xFF);
		else
			say_at(x, at, NULL, "%s", p->problem);
	} else if (p->error == YAML_MEMORY_ERROR) {
		say_at(x, (struct mark){ 0, 0 }, NULL,
		       "out of memory while parsing");
		return -ENOMEM;
	} else if (p->problem_mark.index < len &&
		   buf[p->problem_mark.index] == '\t') {
		say_at(x, mark_of(p->problem_mark), NULL, "syntax error: a tab "
		       "character; YAML indents with spaces only");
	} else if (p->context) {
		struct mark cm = mark_of(p->context_mark);

		say_at(x, mark_of(p->problem_mark), NULL,
		       "syntax error: %s (%s at line %zu)",
		       p->problem ? p->problem : "unknown problem",
		       p->context, cm.line);
	} else {
		say_at(x, mark_of(p->problem_mark), NULL, "syntax error: %s",
		       p->problem ? p->problem : "unknown problem");
	}
	return -EINVAL;
}

struct frame {
	bool mapping;
	bool want_key;          /* mapping only: next node is a key */
	size_t plen;            /* strlen(path) of this container */
	size_t entry;           /* index entry of the last key, or INDEX_MAX */
};

/* A mapping key: extend path with it and remember where it is written. */
static int index_key(const struct ctx *x, struct index *ix,
		     struct frame *top, char *path, size_t size,
		     const yaml_event_t *ev, struct mark at)
{
	int n;

	top->entry = INDEX_MAX;
	if (ev->type != YAML_SCALAR_EVENT) {
		say_at(x, at, NULL, "keys must be plain names, not lists "
		       "or sections");
		return -EINVAL;
	}
	n = snprintf(path + top->plen, size - top->plen, "%s%s",
		     top->plen ? "." : "",
		     (const char *)ev->data.scalar.value);
	if (n < 0 || (size_t)n >= size - top->plen) {
		path[top->plen] = '\0';
		say_at(x, at, NULL, "key too long (more than %d characters)",
		       KEYPATH_MAX - 1);
		return -EINVAL;
	}
	if (ix->n < INDEX_MAX) {
		top->entry = ix->n;
		memcpy(ix->e[ix->n].key, path, KEYPATH_MAX);
		ix->e[ix->n].at = at;
		ix->n++;
	}
	return 0;
}

/* Check what libcyaml cannot tell us precisely and index every key.
 * 0, or -EINVAL / -ENOMEM with the message set. */
static int scan(const struct ctx *x, struct index *ix, const char *buf,
		size_t len)
{
	yaml_parser_t p;
	yaml_event_t ev;
	struct frame st[DEPTH_MAX];
	char path[KEYPATH_MAX] = "";
	size_t depth = 0;
	int docs = 0;
	bool empty = true;
	bool done = false;
	int rc = 0;

	if (!yaml_parser_initialize(&p)) {
		say_at(x, (struct mark){ 0, 0 }, NULL, "out of memory");
		return -ENOMEM;
	}
	yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
	while (!done && rc == 0) {
		struct mark at;
		const char *anchor = NULL;
		bool node = false;
		bool leaf = false;

		if (!yaml_parser_parse(&p, &ev)) {
			rc = parse_error(x, &p, buf, len);
			break;
		}
		at = mark_of(ev.start_mark);
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (++docs > 1) {
				say_at(x, at, NULL, "only one YAML document "
				       "is allowed (found a second '---')");
				rc = -EINVAL;
			}
			break;
		case YAML_ALIAS_EVENT:
			say_at(x, at, NULL,
			       "aliases (*%s) are not supported",
			       (const char *)ev.data.alias.anchor);
			rc = -EINVAL;
			break;
		case YAML_SCALAR_EVENT:
			anchor = (const char *)ev.data.scalar.anchor;
			node = leaf = true;
			if (depth == 0 && ev.data.scalar.length == 0 &&
			    ev.data.scalar.plain_implicit)
				node = false;   /* an empty document */
			break;
		case YAML_SEQUENCE_START_EVENT:
			anchor = (const char *)ev.data.sequence_start.anchor;
			node = true;
			break;
		case YAML_MAPPING_START_EVENT:
			anchor = (const char *)ev.data.mapping_start.anchor;
			node = true;
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			depth--;
			leaf = true;    /* the container is a finished node */
			break;
		default:
			break;
		}
		if (rc == 0 && anchor) {
			say_at(x, at, NULL, "anchors (&%s) are not supported",
			       anchor);
			rc = -EINVAL;
		}
		if (rc == 0 && node) {
			struct frame *top = depth ? &st[depth - 1] : NULL;

			if (!top) {
				ix->root = at;
				empty = false;
			}
			if (top && top->mapping && top->want_key) {
				rc = index_key(x, ix, top, path, sizeof(path),
					       &ev, at);
				top->want_key = false;
				leaf = false;   /* a key is not a value */
			} else if (ev.type == YAML_SCALAR_EVENT) {
				if (top && top->mapping &&
				    top->entry < INDEX_MAX &&
				    ev.data.scalar.length == 0 &&
				    ev.data.scalar.plain_implicit)
					ix->e[top->entry].no_value = true;
			} else {
				if (depth == DEPTH_MAX) {
					say_at(x, at, NULL, "nested more "
					       "than %d levels deep",
					       DEPTH_MAX);
					rc = -EINVAL;
				} else {
					st[depth].mapping = ev.type ==
						YAML_MAPPING_START_EVENT;
					st[depth].want_key = true;
					st[depth].plen = strlen(path);
					st[depth].entry = INDEX_MAX;
					depth++;
				}
				leaf = false;
			}
		}
		if (rc == 0 && leaf && depth > 0 && st[depth - 1].mapping) {
			/* A value ended: back to the container's path. */
			path[st[depth - 1].plen] = '\0';
			st[depth - 1].want_key = true;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	if (rc == 0 && empty) {
		say_at(x, (struct mark){ 1, 1 }, NULL, "no settings in the "
		       "file (expected sections such as 'tick:')");
		rc = -EINVAL;
	}
	return rc;
}

/* ---- pass 2: libcyaml --------------------------------------------------- */

/* What log_capture keeps of libcyaml's first error. */
struct capture {
	char msg[256];                  /* "Unexpected key: foo" */
	char fields[DEPTH_MAX][KEYPATH_MAX]; /* innermost first */
	size_t nfields;
	struct mark at;                 /* first backtrace mark */
	int state;                      /* 0 none, 1 backtrace, 2 done */
};

/* libcyaml logs one line per call: the error, "Backtrace:", then one
 * "  in mapping field 'KEY' (line: L, column: C)" per level. */
__attribute__((format(printf, 3, 0)))
static void log_capture(cyaml_log_t level, void *ctx, const char *fmt,
			va_list args)
{
	struct capture *cap = ctx;
	char line[512];
	char name[KEYPATH_MAX];
	size_t l;
	size_t c;
	char *s = line;

	if (level < CYAML_LOG_ERROR || cap->state == 2)
		return;
	vsnprintf(line, sizeof(line), fmt, args);
	line[strcspn(line, "\n")] = '\0';
	if (strncmp(s, "Load: ", 6) == 0)
		s += 6;
	if (strcmp(s, "Backtrace:") == 0)
		return;
	if (cap->state == 0) {
		snprintf(cap->msg, sizeof(cap->msg), "%.*s",
			 (int)sizeof(cap->msg) - 1, s);
		cap->state = 1;
		return;
	}
	if (sscanf(s, "  in mapping field '%127[^']' (line: %zu, column: %zu)",
		   name, &l, &c) == 3) {
		if (cap->nfields < DEPTH_MAX)
			memcpy(cap->fields[cap->nfields++], name,
			       sizeof(name));
	} else if (sscanf(s, "  in %*[^(](line: %zu, column: %zu)", &l,
			  &c) != 2) {
		cap->state = 2;         /* another error: keep the first */
		return;
	}
	if (cap->at.line == 0) {
		cap->at.line = l;
		cap->at.col = c;
	}
}

static size_t edit_distance(const char *a, const char *b)
{
	size_t row[KEYPATH_MAX + 1];
	size_t la = strlen(a);
	size_t lb = strlen(b);
	size_t i;
	size_t j;

	if (la > KEYPATH_MAX || lb > KEYPATH_MAX)
		return SIZE_MAX;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

/* The known child of parent ("" = top level) closest to name, if close
 * enough to be a typo; "" otherwise. */
static void suggest(const char *parent, const char *name, char *out,
		    size_t len)
{
	size_t plen = strlen(parent);
	size_t best = 3;        /* at most two edits away */
	size_t i;

	*out = '\0';
	for (i = 0; i < NKEYS; i++) {
		const char *k = keys[i].k.key;
		char child[KEYPATH_MAX];
		size_t d;

		if (plen && (strncmp(k, parent, plen) != 0 || k[plen] != '.'))
			continue;
		k += plen ? plen + 1 : 0;
		snprintf(child, sizeof(child), "%.*s", (int)strcspn(k, "."),
			 k);
		d = edit_distance(child, name);
		if (d < best) {
			best = d;
			snprintf(out, len, "%s", child);
		}
	}
}

static const char *event_noun(const char *ev)
{
	if (strcmp(ev, "SCALAR") == 0)
		return "a single value";
	if (strcmp(ev, "SEQUENCE_START") == 0)
		return "a list";
	if (strcmp(ev, "MAPPING_START") == 0)
		return "a section";
	return ev;
}

/* Turn libcyaml's first error into our message. */
static void say_cyaml(const struct ctx *x, const struct capture *cap,
		      cyaml_err_t e)
{
	char key[KEYPATH_MAX * 2] = "";
	char arg[KEYPATH_MAX];
	char want[32];
	char got[32];
	struct mark at;
	size_t i;
	unsigned max;
	int occurrence = 1;

	for (i = cap->nfields; i-- > 0;)
		snprintf(key + strlen(key), sizeof(key) - strlen(key), "%s%s",
			 *key ? "." : "", cap->fields[i]);

	if (sscanf(cap->msg, "Unexpected key: %127[^\n]", arg) == 1) {
		char hint[KEYPATH_MAX];
		char parent[sizeof(key)];

		memcpy(parent, key, sizeof(key));
		snprintf(key + strlen(key), sizeof(key) - strlen(key), "%s%s",
			 *key ? "." : "", arg);
		suggest(parent, arg, hint, sizeof(hint));
		at = ix_find(x->ix, key, 1);
		if (*hint)
			say_at(x, at, key, "unknown key (did you mean '%s'?)",
			       hint);
		else
			say_at(x, at, key, "unknown key");
		return;
	}
	if (sscanf(cap->msg, "Mapping field already seen: %127[^\n]",
		   arg) == 1) {
		if (cap->nfields == 0 || strcmp(cap->fields[0], arg) != 0)
			snprintf(key + strlen(key), sizeof(key) - strlen(key),
				 "%s%s", *key ? "." : "", arg);
		occurrence = 2;
		at = ix_find(x->ix, key, occurrence);
		if (at.line == 0)
			at = cap->at;
		say_at(x, at, key, "duplicate key");
		return;
	}
	at = ix_find(x->ix, key, occurrence);
	if (at.line == 0)
		at = cap->at;
	if (sscanf(cap->msg, "Expecting %31[A-Z_], got event: %31[A-Z_]",
		   want, got) == 2) {
		if (*key == '\0')
			say_at(x, at, NULL, "the top level must be a section "
			       "of keys such as 'tick:' (got %s)",
			       event_noun(got));
		else if (strcmp(want, "MAPPING") == 0 &&
			 ix_no_value(x->ix, key))
			say_at(x, at, key, "empty section (indent its keys "
			       "under it, or remove it)");
		else if (strcmp(want, "MAPPING") == 0)
			say_at(x, at, key, "must be a section of keys "
			       "(got %s)", event_noun(got));
		else
			say_at(x, at, key, "must be a single value (got %s)",
			       event_noun(got));
		return;
	}
	if (sscanf(cap->msg, "STRING length > %u", &max) == 1) {
		say_at(x, at, key, "value too long (more than %u characters)",
		       max);
		return;
	}
	if (*cap->msg)
		say_at(x, at, key, "%s", cap->msg);
	else
		say_at(x, at, key, "%s", cyaml_strerror(e));
}

/* ---- checking ----------------------------------------------------------- */

/* lo <= hi unless one of them is 0 ("off") where off_ok. */
static const struct {
	const char *lo;
	const char *hi;
	bool off_ok;
} order_rules[] = {
	{ "thresholds.alloc_rate.warning", "thresholds.alloc_rate.critical",
	  true },
	{ "thresholds.alloc_bytes_rate.warning",
	  "thresholds.alloc_bytes_rate.critical", true },
	{ "thresholds.live_bytes.warning", "thresholds.live_bytes.critical",
	  true },
	{ "thresholds.live_growth.warning", "thresholds.live_growth.critical",
	  true },
	{ "thresholds.slack.warning", "thresholds.slack.critical", true },
	{ "thresholds.threads.warning", "thresholds.threads.critical", true },
	{ "thresholds.fds.warning", "thresholds.fds.critical", true },
	{ "thresholds.site_growth.warning", "thresholds.site_growth.critical",
	  true },
	{ "hotspot.warning_share", "hotspot.critical_share", false },
	/* A window longer than the history could never fill. */
	{ "detect.min_ticks", "tick.history", false },
	{ "detect.leak_window", "tick.history", false },
};

static bool set_in_file(const struct ctx *x, const struct key_def *d)
{
	return x->from_file && x->from_file[d - keys];
}

static int validate(const struct cfg *c, const struct ctx *x)
{
	char got[48];
	char why[160];
	size_t i;

	for (i = 0; i < NKEYS; i++) {
		const struct key_def *d = &keys[i];
		double v = value_of(c, d);

		if (d->k.kind == CFG_K_PATH || d->k.kind == CFG_K_FAIL_ON) {
			if (d->k.kind == CFG_K_FAIL_ON &&
			    !cfg_fail_on_name(*(const enum cfg_fail_on *)
					      cfield(c, d))) {
				say_at(x, ix_find(x->ix, d->k.key, 1),
				       d->k.key, "not one of none, warning "
				       "or critical");
				return -EINVAL;
			}
			continue;
		}
		if (!(v >= d->k.min && v <= d->k.max)) {
			fmt_value(d, v, got, sizeof(got));
			range_why(d, got, why, sizeof(why));
			say_at(x, ix_find(x->ix, d->k.key, 1), d->k.key, "%s",
			       why);
			return -EINVAL;
		}
	}
	for (i = 0; i < sizeof(order_rules) / sizeof(order_rules[0]); i++) {
		const struct key_def *lo = key_find(order_rules[i].lo);
		const struct key_def *hi = key_find(order_rules[i].hi);
		double a, b;
		char sa[48];
		char sb[48];

		assert(lo && hi);
		a = value_of(c, lo);
		b = value_of(c, hi);
		if (a <= b || (order_rules[i].off_ok && (a == 0 || b == 0)))
			continue;
		fmt_value(lo, a, sa, sizeof(sa));
		fmt_value(hi, b, sb, sizeof(sb));
		/* Blame the key the file set: that is the one to fix. */
		if (set_in_file(x, lo) || !set_in_file(x, hi))
			say_at(x, ix_find(x->ix, lo->k.key, 1), lo->k.key,
			       "must not be above %s (%s > %s)", hi->k.key,
			       sa, sb);
		else
			say_at(x, ix_find(x->ix, hi->k.key, 1), hi->k.key,
			       "must not be below %s (%s < %s)", lo->k.key,
			       sb, sa);
		return -EINVAL;
	}
	return 0;
}

int cfg_validate(const struct cfg *c, char *err, size_t errlen)
{
	struct ctx x = { NULL, NULL, c->from_file, err, errlen };

	if (errlen)
		*err = '\0';
	return validate(c, &x);
}

/* ---- loading ------------------------------------------------------------ */

/* The whole file into a fresh buffer.  0 or -errno, message set. */
static int read_file(const struct ctx *x, const char *path, char **out,
		     size_t *outlen)
{
	struct mark none = { 0, 0 };
	struct stat sb;
	char *buf = NULL;
	size_t len = 0;
	int fd;
	int rc = 0;

	/* O_NONBLOCK: a FIFO named by mistake must not hang us. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		rc = -errno;
		say_at(x, none, NULL, "cannot open: %s", strerror(-rc));
		return rc;
	}
	if (fstat(fd, &sb) < 0) {
		rc = -errno;
		say_at(x, none, NULL, "cannot read: %s", strerror(-rc));
		goto out_close;
	}
	if (S_ISDIR(sb.st_mode)) {
		rc = -EISDIR;
		say_at(x, none, NULL, "cannot read: %s", strerror(-rc));
		goto out_close;
	}
	if (!S_ISREG(sb.st_mode)) {
		rc = -EINVAL;
		say_at(x, none, NULL, "not a regular file");
		goto out_close;
	}
	/* One byte more than allowed, to see a file that is too large even
	 * if it grew since fstat. */
	buf = malloc(CFG_FILE_MAX + 1);
	if (!buf) {
		rc = -ENOMEM;
		say_at(x, none, NULL, "cannot read: %s", strerror(-rc));
		goto out_close;
	}
	while (len <= CFG_FILE_MAX) {
		ssize_t n = read(fd, buf + len, CFG_FILE_MAX + 1 - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = -errno;
			say_at(x, none, NULL, "cannot read: %s",
			       strerror(-rc));
			goto out_free;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (len > CFG_FILE_MAX) {
		rc = -EFBIG;
		say_at(x, none, NULL, "file too large (more than %d KiB)",
		       CFG_FILE_MAX / 1024);
		goto out_free;
	}
	*out = buf;
	*outlen = len;
	goto out_close;
out_free:
	free(buf);
out_close:
	close(fd);
	return rc;
}

/* Apply the strings libcyaml found onto *c. */
static int apply(struct cfg *c, const struct raw *r, const struct ctx *x)
{
	char why[256];
	size_t i;

	for (i = 0; i < NKEYS; i++) {
		const char *s = *(char *const *)((const char *)r +
						  keys[i].raw_off);

		if (!s)
			continue;
		if (parse_value(c, &keys[i], s, why, sizeof(why)) < 0) {
			say_at(x, ix_find(x->ix, keys[i].k.key, 1),
			       keys[i].k.key, "%s", why);
			return -EINVAL;
		}
		c->from_file[i] = true;
	}
	return 0;
}

/* Defaults, then the file at path, then the checks.  The file must exist. */
static int load_file(struct cfg *c, const char *path, char *err,
		     size_t errlen)
{
	struct capture cap;
	cyaml_config_t yc = {
		.log_fn = log_capture,
		.log_ctx = &cap,
		.mem_fn = cyaml_mem,
		.log_level = CYAML_LOG_ERROR,
		.flags = CYAML_CFG_NO_ALIAS,
	};
	struct ctx x = { path, NULL, c->from_file, err, errlen };
	struct index *ix;
	struct raw *r = NULL;
	cyaml_err_t e;
	char *buf = NULL;
	size_t len = 0;
	int rc;

	cfg_defaults(c);
	rc = read_file(&x, path, &buf, &len);
	if (rc < 0)
		return rc;
	ix = calloc(1, sizeof(*ix));
	if (!ix) {
		rc = -ENOMEM;
		say_at(&x, (struct mark){ 0, 0 }, NULL, "%s", strerror(-rc));
		goto out_buf;
	}
	x.ix = ix;
	rc = scan(&x, ix, buf, len);
	if (rc < 0)
		goto out_ix;

	memset(&cap, 0, sizeof(cap));
	e = cyaml_load_data((const uint8_t *)buf, len, &yc, &raw_schema,
			    (cyaml_data_t **)&r, NULL);
	if (e != CYAML_OK) {
		say_cyaml(&x, &cap, e);
		rc = e == CYAML_ERR_OOM ? -ENOMEM : -EINVAL;
		goto out_ix;
	}
	if (!r) {
		/* scan() refuses empty documents; be safe all the same. */
		say_at(&x, (struct mark){ 1, 1 }, NULL, "no settings in the "
		       "file (expected sections such as 'tick:')");
		rc = -EINVAL;
		goto out_ix;
	}
	rc = apply(c, r, &x);
	if (rc == 0)
		rc = validate(c, &x);
	if (rc == 0)
		snprintf(c->path, sizeof(c->path), "%s", path);
	cyaml_free(&yc, &raw_schema, r, 0);
out_ix:
	free(ix);
out_buf:
	free(buf);
	return rc;
}

int cfg_load_in(struct cfg *c, const char *explicit_path,
		const char *sysconfdir, char *err, size_t errlen)
{
	char user[PATH_MAX];
	char sys[PATH_MAX];
	const char *cand[2];
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	size_t n = 0;
	size_t i;
	int rc = 0;

	if (errlen)
		*err = '\0';
	if (explicit_path) {
		rc = load_file(c, explicit_path, err, errlen);
		goto out;
	}
	/* XDG says a relative XDG_CONFIG_HOME is invalid and is ignored. */
	if (xdg && *xdg == '/') {
		if ((size_t)snprintf(user, sizeof(user),
				     "%s/alloctop/alloctop.yaml", xdg) <
		    sizeof(user))
			cand[n++] = user;
	} else if (home && *home) {
		if ((size_t)snprintf(user, sizeof(user),
				     "%s/.config/alloctop/alloctop.yaml",
				     home) < sizeof(user))
			cand[n++] = user;
	}
	if ((size_t)snprintf(sys, sizeof(sys), "%s/alloctop/alloctop.yaml",
			     sysconfdir) < sizeof(sys))
		cand[n++] = sys;
	for (i = 0; i < n; i++) {
		struct stat st;

		rc = load_file(c, cand[i], err, errlen);
		/* Only absence moves on: a broken file must not be skipped.
		 * A folder we may not search (another user's $HOME, under
		 * sudo or setpriv) hides whether the file exists: absent. */
		if (rc == -EACCES && stat(cand[i], &st) != 0)
			continue;
		if (rc != -ENOENT && rc != -ENOTDIR)
			goto out;
	}
	rc = 0;
	if (errlen)
		*err = '\0';
	cfg_defaults(c);
out:
	if (rc < 0)
		cfg_defaults(c);
	return rc;
}

int cfg_load(struct cfg *c, const char *explicit_path, char *err,
	     size_t errlen)
{
	return cfg_load_in(c, explicit_path, SYSCONFDIR, err, errlen);
}

/* ---- comparing and printing --------------------------------------------- */

bool cfg_equal(const struct cfg *a, const struct cfg *b)
{
	size_t i;

	for (i = 0; i < NKEYS; i++) {
		const struct key_def *d = &keys[i];

		switch (d->k.kind) {
		case CFG_K_PATH:
			if (strcmp(cfield(a, d), cfield(b, d)) != 0)
				return false;
			break;
		case CFG_K_FAIL_ON:
			if (*(const enum cfg_fail_on *)cfield(a, d) !=
			    *(const enum cfg_fail_on *)cfield(b, d))
				return false;
			break;
		case CFG_K_SIZE:
			if (*(const uint64_t *)cfield(a, d) !=
			    *(const uint64_t *)cfield(b, d))
				return false;
			break;
		default:
			if (value_of(a, d) != value_of(b, d))
				return false;
			break;
		}
	}
	return true;
}

/* A YAML double-quoted string: the only form that holds any file name. */
static void put_quoted(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20 || ch == 0x7F)
			fprintf(f, "\\x%02X", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

int cfg_dump(const struct cfg *c, FILE *f, bool annotate)
{
	const char *prev = "";
	size_t i;

	for (i = 0; i < NKEYS; i++) {
		const struct key_def *d = &keys[i];
		const char *k = d->k.key;
		const char *p = k;
		const char *q = prev;
		char val[64];
		int level = 0;

		/* Print the sections this key opens that the last did not. */
		while (strchr(p, '.')) {
			size_t n = (size_t)(strchr(p, '.') - p);

			if (!(q && strncmp(p, q, n + 1) == 0)) {
				fprintf(f, "%*s%.*s:\n", 2 * level, "",
					(int)n, p);
				q = NULL;
			} else {
				q += n + 1;
			}
			p += n + 1;
			level++;
		}
		fprintf(f, "%*s%s: ", 2 * level, "", p);
		switch (d->k.kind) {
		case CFG_K_PATH:
			put_quoted(f, cfield(c, d));
			break;
		case CFG_K_FAIL_ON:
			fputs(cfg_fail_on_name(*(const enum cfg_fail_on *)
					       cfield(c, d)), f);
			break;
		case CFG_K_UINT:
			fprintf(f, "%u", *(const unsigned *)cfield(c, d));
			break;
		default:
			fmt_value(d, value_of(c, d), val, sizeof(val));
			fputs(val, f);
			break;
		}
		if (annotate && c->from_file[i])
			fputs("  # from the file", f);
		fputc('\n', f);
		prev = k;
	}
	return ferror(f) ? -EIO : 0;
}

int cfg_check_main(int argc, char **argv)
{
	struct cfg c;
	char err[512];
	const char *file = NULL;
	bool verbose = false;
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-v") == 0 ||
		    strcmp(argv[i], "--verbose") == 0) {
			verbose = true;
		} else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			fprintf(stderr, "alloctop: --check-config: unknown "
				"option '%s'\n", argv[i]);
			fprintf(stderr, "hint: alloctop --check-config "
				"[--verbose] [FILE]\n");
			return 2;
		} else if (file) {
			fprintf(stderr, "alloctop: --check-config: one file "
				"at a time ('%s' and '%s')\n", file, argv[i]);
			return 2;
		} else {
			file = argv[i];
		}
	}
	if (cfg_load(&c, file, err, sizeof(err)) < 0) {
		fprintf(stderr, "alloctop: %s\n", err);
		return 2;
	}
	if (*c.path)
		printf("alloctop: %s: ok\n", c.path);
	else
		printf("alloctop: no configuration file found, using the "
		       "built-in defaults\n");
	if (verbose && cfg_dump(&c, stdout, true) < 0)
		return 1;
	return fflush(stdout) == 0 ? 0 : 1;
}
