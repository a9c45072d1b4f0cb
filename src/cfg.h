/* src/cfg.h - alloctop.yaml: settings, their defaults, loading and checking.
 *
 * The module lives in src/config.c but its header is not "config.h": that
 * name belongs to autoconf's header, which every .c includes first, and a
 * quoted include looks in the including file's folder before -I paths.
 *
 * Usage: cfg_load() (defaults, then the file, then cfg_validate()) once at
 * start-up; afterwards struct cfg is plain data, read-only by convention.
 * Nothing here is thread-safe or async-signal-safe; nothing keeps pointers
 * into the caller's buffers after returning.
 */
#ifndef ALLOCTOP_CFG_H
#define ALLOCTOP_CFG_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Metrics that can raise threshold alerts; indexes cfg.thresholds[].  The
 * YAML names (thresholds.<name>) come from cfg_metric_name(). */
enum cfg_metric {
	CFG_M_ALLOC_RATE,       /* allocation calls per second */
	CFG_M_ALLOC_BYTES_RATE, /* bytes allocated per second */
	CFG_M_LIVE_BYTES,       /* live heap, bytes */
	CFG_M_LIVE_GROWTH,      /* live-heap growth, bytes per minute */
	CFG_M_SLACK,            /* (usable - requested) / usable, 0..1 */
	CFG_M_THREADS,          /* threads of the target */
	CFG_M_FDS,              /* open file descriptors of the target */
	CFG_M_SITE_GROWTH,      /* one call site's live growth, bytes/min */
	CFG_METRIC_COUNT
};

/* One threshold rule: alert when the metric is >= a level for raise_after
 * consecutive ticks, clear when below it for clear_after ticks.  A level
 * of 0 means "no alert at this level".  Levels are in the metric's unit
 * (cfg_metric_unit()), whatever unit the file used. */
struct cfg_threshold {
	double warning;
	double critical;            /* >= warning when both are non-zero */
	unsigned raise_after_ticks;
	unsigned clear_after_ticks;
};

enum cfg_fail_on {
	CFG_FAIL_NONE,          /* exit status ignores alerts */
	CFG_FAIL_WARNING,       /* batch exit 3 if any warning or critical fired */
	CFG_FAIL_CRITICAL,      /* batch exit 3 if any critical fired */
};

struct cfg_tick {
	unsigned interval_ms;   /* time between two snapshots */
	uint64_t sample_bytes;  /* mean sampling period; 0: no stacks, 1: all */
	unsigned history_ticks; /* ticks kept in every history ring */
};

struct cfg_detect {
	double change_point;        /* CUSUM threshold, standard deviations */
	double anomaly_z;           /* |z| at which one tick is an anomaly */
	double trend_confidence;    /* confidence for "growing"/"leaking" */
	unsigned min_ticks;         /* ticks of history before classifying */
	unsigned leak_window_ticks; /* window of the leak test */
	double periodicity;         /* autocorrelation needed to call a cycle */
};

struct cfg_hotspot {
	double warning_share;   /* share of bytes coloured as warning, 0..1 */
	double critical_share;  /* share of bytes coloured as critical, 0..1 */
};

struct cfg_alerts {
	char log[PATH_MAX];     /* append alerts to this file; "" = none */
	enum cfg_fail_on fail_on;
};

/* Upper bound on the number of keys, for from_file[]; config.c asserts it. */
#define CFG_KEYS_MAX 64

struct cfg {
	struct cfg_tick tick;
	struct cfg_threshold thresholds[CFG_METRIC_COUNT];
	struct cfg_detect detect;
	struct cfg_hotspot hotspot;
	struct cfg_alerts alerts;
	/* Set by cfg_load: the file read ("" = built-in defaults only) and,
	 * per key index (cfg_key_at()), whether that file set the key. */
	char path[PATH_MAX];
	bool from_file[CFG_KEYS_MAX];
};

/* What a key holds; decides its YAML syntax (see alloctop.yaml(5)). */
enum cfg_kind {
	CFG_K_UINT,     /* decimal integer */
	CFG_K_SIZE,     /* bytes: 1048576, 512KiB, 64MB, 1.5GiB */
	CFG_K_REAL,     /* decimal number: 0.95, 4, 1e-3 */
	CFG_K_LEVEL,    /* threshold level in the metric's unit, or "off" */
	CFG_K_PATH,     /* file name; "" = none */
	CFG_K_FAIL_ON,  /* none | warning | critical */
};

/* Units a value is stored in, and which unit suffixes the file may use. */
enum cfg_unit {
	CFG_U_NONE,
	CFG_U_MS,
	CFG_U_TICKS,
	CFG_U_BYTES,            /* size suffixes */
	CFG_U_PER_SEC,          /* k/M/G, then optional /s or /min */
	CFG_U_BYTES_PER_SEC,    /* size suffixes, then optional /s /min /h */
	CFG_U_BYTES_PER_MIN,    /* as above */
	CFG_U_RATIO,            /* 0..1, or a percentage such as 30% */
	CFG_U_COUNT,            /* whole number */
};

/* One row of the key table: the single list of every setting, which the
 * man page, config/alloctop.yaml and the tests are checked against. */
struct cfg_key {
	const char *key;        /* dotted YAML path: "tick.interval_ms" */
	enum cfg_kind kind;
	enum cfg_unit unit;
	double min;             /* inclusive range, in the stored unit */
	double max;
	const char *def;        /* default as written in config/alloctop.yaml */
	const char *doc;        /* one sentence for humans */
};

/* The key table, in file order.  cfg_key_at() returns NULL past the end. */
size_t cfg_key_count(void);
const struct cfg_key *cfg_key_at(size_t i);

/* YAML name ("live_bytes") and unit text ("bytes/min") of a metric; NULL
 * for an out-of-range value. */
const char *cfg_metric_name(enum cfg_metric m);
const char *cfg_metric_unit(enum cfg_metric m);
const char *cfg_fail_on_name(enum cfg_fail_on f);

/* Fill *c with the built-in defaults (the table's def column). */
void cfg_defaults(struct cfg *c);

/* Check ranges and cross-field rules of *c.  0, or -EINVAL with one line
 * "KEY: problem" in err.  err is always a string when errlen > 0 (cut to
 * fit), and untouched when errlen is 0; the same holds for cfg_load. */
int cfg_validate(const struct cfg *c, char *err, size_t errlen);

/* Load the configuration: defaults, then the first file found, then
 * cfg_validate().  Files searched, first match wins:
 *   explicit_path (if non-NULL; its absence is an error),
 *   $XDG_CONFIG_HOME/alloctop/alloctop.yaml (or ~/.config/alloctop/...),
 *   SYSCONFDIR/alloctop/alloctop.yaml.
 * A missing default file is skipped; any other trouble with a file that
 * exists is an error.  Returns 0, or -errno (-ENOENT, -EISDIR, -EACCES,
 * -EFBIG, ...) or -EINVAL with one line in err, without a final newline:
 *   FILE:LINE:COL: KEY: problem
 * On error *c holds the defaults. */
int cfg_load(struct cfg *c, const char *explicit_path, char *err,
	     size_t errlen);

/* cfg_load() with another system folder instead of SYSCONFDIR (tests). */
int cfg_load_in(struct cfg *c, const char *explicit_path,
		const char *sysconfdir, char *err, size_t errlen);

/* Compare every key's value (not path or from_file). */
bool cfg_equal(const struct cfg *a, const struct cfg *b);

/* Write *c as YAML that cfg_load() reads back to an equal struct, values
 * in stored units; with annotate, a comment marks keys not from the file.
 * 0 or -errno. */
int cfg_dump(const struct cfg *c, FILE *f, bool annotate);

/* alloctop --check-config [-v|--verbose] [FILE]: argv[1..] are the words
 * after --check-config.  Prints "alloctop: FILE: ok" (and with -v the
 * effective settings) to stdout, or the error to stderr.  Returns the exit
 * status: 0 ok, 2 bad configuration or usage. */
int cfg_check_main(int argc, char **argv);

#endif
