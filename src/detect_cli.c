/* src/detect_cli.c - `alloctop detect [OPTIONS] [FILE|-]`: run the
 * detectors of src/detect over a CSV series and print the findings, one per
 * line, as `kind key=value ...` for scripts.
 *
 * Input: a header line naming the columns, then one row per tick.  Empty
 * fields, "nan" and "NA" are missing values.  Lines starting with '#'
 * and blank lines are skipped.  A column named t_s gives each row's time in
 * seconds (else the row index is used) and is not analysed itself.
 *
 * Offline, the whole file is known, so: trend tests use the whole series as
 * their window (reduced to 64 block medians), the period is found over the
 * whole series, and anomalies are scored with that period from the first
 * row on.  Change points and anomalies are still found online, row by row,
 * combined as the engine combines them live.  --classify maps columns
 * named like struct det_tick's fields and runs the detector engine over the
 * rows, printing each change of class.
 *
 * The only file in src/detect* that does I/O.  Memory grows with the file
 * (this is a batch tool); the detectors' own memory stays bounded. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "detect/anomaly.h"
#include "detect/change.h"
#include "detect/engine.h"
#include "detect/period.h"
#include "detect/trend.h"
#include "detect_cli.h"

#define MODE_CHANGE	(1u << 0)
#define MODE_ANOMALY	(1u << 1)
#define MODE_TREND	(1u << 2)
#define MODE_PERIOD	(1u << 3)
#define MODE_CLASSIFY	(1u << 4)

/* Largest windows used offline: the detectors' own limits. */
#define TREND_WINDOW_MAX 65536
#define PERIOD_WINDOW_MAX 4096

struct table {
	size_t ncols;
	char **names;
	size_t nrows;
	size_t cap;
	double **cols;		/* cols[c][r] */
	int time_col;		/* index of t_s, -1 if none */
};

static void usage(FILE *f)
{
	fputs("usage: alloctop detect [--changepoints] [--anomalies] "
	      "[--trend] [--period]\n"
	      "                       [--classify] [FILE|-]\n"
	      "Reads a CSV series (header line of column names, one row per "
	      "tick) and prints\nfindings one per line.  Without options: "
	      "changepoints, anomalies, trend and\nperiod for every column.  "
	      "A column t_s gives times in seconds.\n"
	      "Exit: 0 done, 1 unreadable or malformed input, 2 bad usage.\n",
	      f);
}

static void table_free(struct table *t)
{
	size_t i;

	for (i = 0; i < t->ncols; i++) {
		free(t->names[i]);
		if (t->cols != NULL)
			free(t->cols[i]);
	}
	free(t->names);
	free(t->cols);
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' ||
			 e[-1] == '\n'))
		*--e = '\0';
	return s;
}

/* Split line at commas in place; returns the field count (<= max). */
static size_t split(char *line, char **f, size_t max)
{
	size_t n = 0;
	char *p = line;

	for (;;) {
		char *c = strchr(p, ',');

		if (n < max)
			f[n] = trim(p);
		n++;
		if (c == NULL)
			break;
		*c = '\0';
		p = c + 1;
	}
	return n;
}

static int parse_header(struct table *t, char *line, const char *file)
{
	size_t n = 1;
	size_t i;
	size_t j;
	char *p;

	for (p = line; *p; p++)
		n += *p == ',';
	t->names = calloc(n, sizeof(char *));
	t->cols = calloc(n, sizeof(double *));
	if (t->names == NULL || t->cols == NULL)
		goto out_nomem;
	{
		char **f = calloc(n, sizeof(char *));

		if (f == NULL)
			goto out_nomem;
		split(line, f, n);
		for (i = 0; i < n; i++) {
			t->names[i] = strdup(f[i]);
			if (t->names[i] == NULL) {
				free(f);
				t->ncols = i;
				goto out_nomem;
			}
		}
		free(f);
	}
	t->ncols = n;
	t->time_col = -1;
	for (i = 0; i < n; i++) {
		if (t->names[i][0] == '\0') {
			fprintf(stderr, "alloctop: %s:1: column %zu has no "
				"name\n", file, i + 1);
			return 1;
		}
		for (j = 0; j < i; j++) {
			if (strcmp(t->names[i], t->names[j]) == 0) {
				fprintf(stderr, "alloctop: %s:1: duplicate "
					"column name '%s'\n", file,
					t->names[i]);
				return 1;
			}
		}
		if (strcmp(t->names[i], "t_s") == 0)
			t->time_col = (int)i;
	}
	return 0;

out_nomem:
	fprintf(stderr, "alloctop: %s: out of memory\n", file);
	return 1;
}

static int parse_value(const char *s, double *v)
{
	char *end;

	if (*s == '\0' || strcmp(s, "NA") == 0 || strcasecmp(s, "nan") == 0) {
		*v = NAN;
		return 0;
	}
	errno = 0;
	*v = strtod(s, &end);
	if (*end != '\0' || end == s || errno == ERANGE || isinf(*v))
		return -EINVAL;
	return 0;
}

static int add_row(struct table *t, char **f, const char *file,
		   unsigned long lineno)
{
	size_t c;

	if (t->nrows == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 1024;

		for (c = 0; c < t->ncols; c++) {
			double *p = realloc(t->cols[c], cap * sizeof(double));

			if (p == NULL) {
				fprintf(stderr, "alloctop: %s: out of "
					"memory\n", file);
				return 1;
			}
			t->cols[c] = p;
		}
		t->cap = cap;
	}
	for (c = 0; c < t->ncols; c++) {
		if (parse_value(f[c], &t->cols[c][t->nrows]) < 0) {
			fprintf(stderr, "alloctop: %s:%lu: column '%s': not a "
				"number: '%s'\n", file, lineno, t->names[c],
				f[c]);
			return 1;
		}
	}
	t->nrows++;
	return 0;
}

static int read_table(FILE *in, const char *file, struct table *t)
{
	unsigned long lineno = 0;
	char *line = NULL;
	size_t len = 0;
	char **f = NULL;
	bool header = false;
	int rc = 0;

	while (getline(&line, &len, in) >= 0) {
		char *s;
		size_t n;

		lineno++;
		s = trim(line);
		if (*s == '\0' || *s == '#')
			continue;
		if (!header) {
			header = true;
			rc = parse_header(t, s, file);
			if (rc != 0)
				break;
			f = calloc(t->ncols, sizeof(char *));
			if (f == NULL) {
				fprintf(stderr, "alloctop: %s: out of "
					"memory\n", file);
				rc = 1;
				break;
			}
			continue;
		}
		n = split(s, f, t->ncols);
		if (n != t->ncols) {
			fprintf(stderr, "alloctop: %s:%lu: expected %zu "
				"fields, got %zu\n", file, lineno, t->ncols,
				n);
			rc = 1;
			break;
		}
		rc = add_row(t, f, file, lineno);
		if (rc != 0)
			break;
	}
	if (rc == 0 && ferror(in)) {
		fprintf(stderr, "alloctop: %s: %s\n", file, strerror(errno));
		rc = 1;
	} else if (rc == 0 && !header) {
		fprintf(stderr, "alloctop: %s: no header line\n", file);
		rc = 1;
	} else if (rc == 0 && t->nrows == 0) {
		fprintf(stderr, "alloctop: %s: no data rows\n", file);
		rc = 1;
	}
	free(f);
	free(line);
	return rc;
}

static double row_time(const struct table *t, size_t r)
{
	return t->time_col >= 0 ? t->cols[t->time_col][r] : (double)r;
}

/* Whole-series trend of column c, for --trend. */
static int column_trend(const struct table *t, size_t c,
			struct det_trend_result *res)
{
	struct det_trend_params p;
	struct det_trend *tr;
	size_t r;

	det_trend_params_default(&p);
	p.window_ticks = t->nrows < TREND_WINDOW_MAX ?
			 (unsigned)t->nrows : TREND_WINDOW_MAX;
	if (p.window_ticks < p.min_points) {
		res->valid = false;
		res->conf = 0;
		return 0;
	}
	tr = det_trend_new(&p);
	if (tr == NULL)
		return -errno;
	for (r = t->nrows - p.window_ticks; r < t->nrows; r++)
		det_trend_push(tr, row_time(t, r), t->cols[c][r]);
	det_trend_eval(tr, res);
	det_trend_free(tr);
	return 0;
}

static int column_period(const struct table *t, size_t c,
			 struct det_period_result *res)
{
	struct det_period_params p;
	struct det_period *d;
	size_t r;

	res->found = false;
	res->period_ticks = 0;
	det_period_params_default(&p);
	if (t->nrows < 24)
		return 0;
	p.window_ticks = t->nrows < PERIOD_WINDOW_MAX ?
			 (unsigned)t->nrows : PERIOD_WINDOW_MAX;
	p.every_ticks = p.window_ticks;	/* one evaluation, at the end */
	d = det_period_new(&p);
	if (d == NULL)
		return -errno;
	for (r = t->nrows - p.window_ticks; r < t->nrows; r++)
		det_period_push(d, t->cols[c][r]);
	det_period_eval(d);
	det_period_result(d, res);
	det_period_free(d);
	return 0;
}

/* Change points and anomalies of column c, row by row as live, the way
 * the engine combines them: a change the trend (over the default window,
 * at detection time) explains is not reported, and a reported change
 * restarts the anomaly detector on the new level.  period: of the whole
 * column, 0 if none. */
static int column_online(const struct table *t, size_t c, unsigned modes,
			 unsigned period)
{
	struct det_change *ch = det_change_new(NULL);
	struct det_anomaly *an = det_anomaly_new(NULL);
	struct det_trend *tr = det_trend_new(NULL);
	struct det_trend_params tp;
	int err = 0;
	size_t r;

	det_trend_params_default(&tp);
	if (ch == NULL || an == NULL || tr == NULL) {
		err = -errno;
		goto out;
	}
	for (r = 0; r < t->nrows; r++) {
		double x = t->cols[c][r];
		struct det_anomaly_result ar;
		struct det_change_event ev;
		struct det_trend_result res;

		det_trend_push(tr, row_time(t, r), x);
		det_anomaly_push(an, x, period, &ar);
		if ((modes & MODE_ANOMALY) && ar.anomalous)
			printf("anomaly column=%s index=%zu value=%.6g "
			       "z=%.3g baseline=%.6g\n", t->names[c], r, x,
			       ar.z, ar.baseline);
		if (!det_change_push(ch, x, &ev))
			continue;
		/* A ramp is a trend, not a string of level shifts. */
		if (det_trend_eval(tr, &res) == 0 &&
		    res.conf >= tp.min_conf &&
		    (ev.dir > 0) == (res.slope_per_s > 0))
			continue;
		det_anomaly_reset(an);
		if (modes & MODE_CHANGE)
			printf("changepoint column=%s index=%llu "
			       "detected=%llu direction=%s before=%.6g "
			       "after=%.6g\n", t->names[c],
			       (unsigned long long)ev.index,
			       (unsigned long long)ev.detected,
			       ev.dir > 0 ? "up" : "down", ev.before,
			       ev.after);
	}
out:
	det_change_free(ch);
	det_anomaly_free(an);
	det_trend_free(tr);
	return err;
}

static int analyse_columns(const struct table *t, unsigned modes)
{
	size_t c;
	int err;

	for (c = 0; c < t->ncols; c++) {
		struct det_trend_result tr;
		struct det_period_result pr;

		if ((int)c == t->time_col)
			continue;
		err = column_trend(t, c, &tr);
		if (err == 0)
			err = column_period(t, c, &pr);
		if (err == 0 && (modes & (MODE_CHANGE | MODE_ANOMALY)))
			err = column_online(t, c, modes,
					    pr.found ? pr.period_ticks : 0);
		if (err < 0)
			return err;
		if ((modes & MODE_TREND) && tr.valid)
			printf("trend column=%s first=0 last=%zu "
			       "slope_per_s=%.6g confidence=%.4f "
			       "growth_confidence=%.4f leak=%s points=%u\n",
			       t->names[c], t->nrows - 1, tr.slope_per_s,
			       tr.conf, tr.growth_conf,
			       tr.leak ? "yes" : "no", tr.points);
		if ((modes & MODE_PERIOD) && pr.found)
			printf("period column=%s period=%u strength=%.3f "
			       "amplitude=%.6g\n", t->names[c],
			       pr.period_ticks, pr.strength, pr.amplitude);
	}
	return 0;
}

static int classify(const struct table *t, const char *file)
{
	struct det_engine *e;
	size_t mapped = 0;
	size_t r;
	size_t c;
	int last = -1;

	for (c = 0; c < t->ncols; c++) {
		struct det_tick probe;

		if ((int)c != t->time_col &&
		    det_tick_set(&probe, t->names[c], 0) == 0)
			mapped++;
	}
	if (mapped == 0) {
		fprintf(stderr, "alloctop: %s: --classify: no column is named "
			"like a det_tick field (live_bytes, allocs_per_s, "
			"...)\n", file);
		return 1;
	}
	e = det_engine_new(NULL);
	if (e == NULL) {
		fprintf(stderr, "alloctop: %s\n", strerror(errno));
		return 1;
	}
	for (r = 0; r < t->nrows; r++) {
		struct det_state st;
		struct det_tick tk;

		det_tick_init(&tk);
		for (c = 0; c < t->ncols; c++)
			det_tick_set(&tk, t->names[c], t->cols[c][r]);
		tk.t_s = row_time(t, r);
		det_engine_push(e, &tk);
		det_engine_state(e, &st);
		if ((int)st.cls != last) {
			printf("class index=%zu class=%s confidence=%.3f "
			       "reason=\"%s\"\n", r, det_class_name(st.cls),
			       st.class_conf, st.class_reason);
			last = (int)st.cls;
		}
	}
	det_engine_free(e);
	return 0;
}

int det_cli_main(int argc, char **argv)
{
	struct table t = { 0 };
	const char *file = NULL;
	unsigned modes = 0;
	FILE *in;
	int rc;
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--changepoints") == 0)
			modes |= MODE_CHANGE;
		else if (strcmp(a, "--anomalies") == 0)
			modes |= MODE_ANOMALY;
		else if (strcmp(a, "--trend") == 0)
			modes |= MODE_TREND;
		else if (strcmp(a, "--period") == 0)
			modes |= MODE_PERIOD;
		else if (strcmp(a, "--classify") == 0)
			modes |= MODE_CLASSIFY;
		else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			return 0;
		} else if (a[0] == '-' && a[1] != '\0') {
			fprintf(stderr, "alloctop: detect: unknown option "
				"'%s'\n", a);
			usage(stderr);
			return 2;
		} else if (file != NULL) {
			fprintf(stderr, "alloctop: detect: more than one "
				"input file ('%s' and '%s')\n", file, a);
			return 2;
		} else {
			file = a;
		}
	}
	if (modes == 0)
		modes = MODE_CHANGE | MODE_ANOMALY | MODE_TREND | MODE_PERIOD;
	if (file == NULL)
		file = "-";
	if (strcmp(file, "-") == 0) {
		in = stdin;
		file = "<stdin>";
	} else {
		in = fopen(file, "r");
		if (in == NULL) {
			fprintf(stderr, "alloctop: %s: %s\n", file,
				strerror(errno));
			return 1;
		}
	}
	rc = read_table(in, file, &t);
	if (in != stdin)
		fclose(in);
	if (rc == 0 && (modes & ~MODE_CLASSIFY)) {
		int err = analyse_columns(&t, modes);

		if (err < 0) {
			fprintf(stderr, "alloctop: %s: %s\n", file,
				strerror(-err));
			rc = 1;
		}
	}
	if (rc == 0 && (modes & MODE_CLASSIFY))
		rc = classify(&t, file);
	table_free(&t);
	fflush(stdout);
	return rc;
}
