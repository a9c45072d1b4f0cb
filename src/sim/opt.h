/* src/sim/opt.h - table-driven command-line options of alloctop-sim.
 *
 * Each workload declares its options once, as a NULL-terminated table of
 * struct opt pointing into its parameter struct.  The same table parses
 * the command line and schedule-file lines, fills defaults (written as the
 * user would type them), prints --help and writes the labels' "params",
 * so these can never disagree.
 *
 * Value syntax (documented in alloctop-sim(1)):
 *   SIZE      64, 4K, 4KiB (1024), 4KB (1000), M/MiB/MB, G/GiB/GB, as dd(1)
 *   DURATION  1.5, 500ms, 10s, 2m, 1h (a bare number is seconds)
 *   RATE      10/s, 600/m, 2k/s; byte rates take a SIZE: 1MB/s, 512KiB/s
 *   FRACTION  0.3 or 30%
 */
#ifndef ALLOCTOP_SIM_OPT_H
#define ALLOCTOP_SIM_OPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct jbuf;

enum opt_type {
	OPT_FLAG,		/* bool, no value */
	OPT_UINT,		/* uint64_t */
	OPT_SIZE,		/* uint64_t bytes */
	OPT_DURATION,		/* double seconds */
	OPT_RATE,		/* double events per second */
	OPT_BYTE_RATE,		/* double bytes per second */
	OPT_FRACTION,		/* double in [0, 1] */
	OPT_CHOICE,		/* int index into choices */
	OPT_STRING,		/* const char *, points into argv */
};

struct opt {
	const char *name;	/* "--rate" */
	enum opt_type type;
	size_t offset;		/* of the value in the parameter struct */
	const char *dflt;	/* parsed as if typed; NULL: 0, false, NULL */
	const char *help;	/* one line for --help */
	const char *arg;	/* OPT_STRING: metavar for --help */
	const char *const *choices;	/* OPT_CHOICE: NULL-terminated */
	double min;		/* inclusive range of numbers; */
	double max;		/* max <= min: no range check */
	bool positive;		/* must be more than 0 (rates, sizes) */
};

/* One table and the struct it fills. */
struct opt_set {
	const struct opt *opts;
	void *base;
};

#define OPT_HELP 1

/* Stores every option's default.  The defaults are ours: a bad one is a
 * bug, caught by assert and by the --help test. */
void opt_defaults(const struct opt_set *sets, size_t nsets);

/* Parses argv[0..argc-1] ("--name VALUE", "--name=VALUE", flags) into the
 * sets.  Returns 0, OPT_HELP on --help or -h, or -EINVAL after printing
 * one message, prefixed by where ("sched.txt:3") when not NULL. */
int opt_parse(const struct opt_set *sets, size_t nsets, int argc,
	      char **argv, const char *where);

/* Writes the table's options as "  --name ARG  help (default D)" lines. */
void opt_help(const struct opt *opts);

/* Writes every option of the table as a JSON member ("rate": 1000000),
 * name without dashes and with '-' turned into '_'. */
void opt_json(struct jbuf *j, const struct opt *opts, const void *base);

/* The value parsers, for other syntax (the --phases list).  True on
 * success; *out is untouched otherwise. */
bool opt_parse_size(const char *s, uint64_t *out);
bool opt_parse_duration(const char *s, double *out);
bool opt_parse_rate(const char *s, bool bytes, double *out);

#endif
