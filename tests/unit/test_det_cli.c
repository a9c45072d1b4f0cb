/* tests/unit/test_det_cli.c - `alloctop detect` on the CSV fixtures of
 * tests/data/detect (see gen.py there for how they were made and what they
 * hold): runs det_cli_main in-process with stdout and stderr captured, and
 * checks findings, row indices, error messages and exit codes. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "detect_cli.h"
#include "tests/unit/check.h"

#ifndef DET_TESTDATA
#define DET_TESTDATA "tests/data/detect"
#endif

static char out[65536];
static char err[8192];

static void slurp(FILE *f, char *buf, size_t len)
{
	size_t n;

	rewind(f);
	n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	fclose(f);
}

/* Run det_cli_main on a NULL-terminated argument list; its output lands
 * in out[] and err[]. */
static int run(const char *arg, ...)
{
	char *argv[16];
	int argc = 0;
	FILE *fo = tmpfile();
	FILE *fe = tmpfile();
	int so;
	int se;
	int rc;
	va_list ap;

	if (fo == NULL || fe == NULL)
		exit(99);
	argv[argc++] = (char *)"detect";
	va_start(ap, arg);
	for (; arg != NULL && argc < 15; arg = va_arg(ap, const char *))
		argv[argc++] = (char *)arg;
	va_end(ap);
	argv[argc] = NULL;
	fflush(stdout);
	fflush(stderr);
	so = dup(1);
	se = dup(2);
	dup2(fileno(fo), 1);
	dup2(fileno(fe), 2);
	rc = det_cli_main(argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(so, 1);
	dup2(se, 2);
	close(so);
	close(se);
	slurp(fo, out, sizeof(out));
	slurp(fe, err, sizeof(err));
	return rc;
}

static unsigned count(const char *hay, const char *needle)
{
	unsigned n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay++;
	}
	return n;
}

/* The index= value on the first line of out[] containing what; -1 if
 * none. */
static long index_of(const char *what)
{
	const char *p = strstr(out, what);
	const char *end;

	if (p == NULL)
		return -1;
	while (p > out && p[-1] != '\n')
		p--;
	end = strchr(p, '\n');
	p = strstr(p, "index=");
	if (p == NULL || (end != NULL && p > end))
		return -1;
	return strtol(p + 6, NULL, 10);
}

#define FIX(name) DET_TESTDATA "/" name

static void test_findings(void)
{
	long i;

	/* step.csv: rate and threads step up at row 300, flat does not. */
	CHECK(run("--changepoints", FIX("step.csv"), NULL) == 0);
	CHECK(count(out, "\n") == 2);
	i = index_of("changepoint column=rate ");
	CHECK(i >= 290 && i <= 310);
	CHECK(index_of("changepoint column=threads ") == 300);
	CHECK(count(out, "direction=up") == 2);
	CHECK(count(out, "column=flat") == 0);

	/* Anomalies only between the step and its detection, then the
	 * detector follows the new level. */
	CHECK(run("--anomalies", FIX("step.csv"), NULL) == 0);
	CHECK(count(out, "column=flat") == 0);
	CHECK(count(out, "anomaly column=threads") <= 6);
	CHECK(index_of("anomaly column=threads") == 300);

	/* spikes.csv: exactly the two planted spikes; the 20-row cycle is
	 * recognised and its peaks are not anomalies. */
	CHECK(run("--anomalies", FIX("spikes.csv"), NULL) == 0);
	CHECK(count(out, "\n") == 2);
	CHECK(strstr(out, "anomaly column=noisy index=123 ") != NULL);
	CHECK(strstr(out, "anomaly column=noisy index=456 ") != NULL);
	CHECK(run("--period", FIX("spikes.csv"), NULL) == 0);
	CHECK(strncmp(out, "period column=cyclic period=20 ", 31) == 0);
	CHECK(count(out, "\n") == 1);

	/* leak.csv: 5000 B/s leak (t_s in 2 s steps); a sawtooth is not. */
	CHECK(run("--trend", "--period", FIX("leak.csv"), NULL) == 0);
	{
		const char *p = strstr(out, "trend column=live_bytes ");
		double slope = 0;

		CHECK(p != NULL);
		if (p != NULL && (p = strstr(p, "slope_per_s=")) != NULL)
			slope = strtod(p + 12, NULL);
		CHECK(slope > 4750 && slope < 5250);
	}
	CHECK(strstr(out, "trend column=live_bytes first=0 last=399 ") !=
	      NULL);
	CHECK(count(out, "leak=yes") == 1);
	CHECK(strstr(out, "column=sawtooth") != NULL &&
	      strstr(strstr(out, "trend column=sawtooth"), "leak=no") !=
	      NULL);
	CHECK(strstr(out, "period column=sawtooth period=25 ") != NULL);
	CHECK(count(out, "t_s") == 0);

	/* ticks.csv: healthy, then large-object from row 150 on. */
	CHECK(run("--classify", FIX("ticks.csv"), NULL) == 0);
	CHECK(strncmp(out, "class index=0 class=healthy ", 28) == 0);
	CHECK(count(out, "\n") == 2);
	i = index_of("class=large-object");
	CHECK(i >= 150 && i <= 160);
	CHECK(strstr(out, "reason=\"most allocated bytes") != NULL);
}

static void test_errors(void)
{
	CHECK(run(FIX("bad_fields.csv"), NULL) == 1);
	CHECK(strstr(err, "bad_fields.csv:3: expected 2 fields, got 1\n") !=
	      NULL);
	CHECK(out[0] == '\0');
	CHECK(run(FIX("bad_number.csv"), NULL) == 1);
	CHECK(strstr(err, "bad_number.csv:4: column 'b': not a number: "
		      "'x7'\n") != NULL);
	CHECK(run(FIX("bad_header.csv"), NULL) == 1);
	CHECK(strstr(err, "bad_header.csv:1: column 2 has no name\n") !=
	      NULL);
	CHECK(run(FIX("no_such_file.csv"), NULL) == 1);
	CHECK(strstr(err, "no_such_file.csv: No such file or directory") !=
	      NULL);
	CHECK(run("--classify", FIX("spikes.csv"), NULL) == 1);
	CHECK(strstr(err, "no column is named like a det_tick field") !=
	      NULL);
	CHECK(run("--bogus", NULL) == 2);
	CHECK(strstr(err, "unknown option '--bogus'") != NULL);
	CHECK(run(FIX("step.csv"), FIX("leak.csv"), NULL) == 2);
	CHECK(run("--help", NULL) == 0);
	CHECK(strncmp(out, "usage: alloctop detect", 22) == 0);
}

/* "-" reads standard input. */
static void test_stdin(void)
{
	FILE *f = fopen(FIX("spikes.csv"), "r");

	CHECK(f != NULL);
	if (f == NULL)
		return;
	dup2(fileno(f), 0);
	fclose(f);
	CHECK(run("--anomalies", "-", NULL) == 0);
	CHECK(count(out, "anomaly column=noisy") == 2);
}

int main(void)
{
	test_findings();
	test_errors();
	test_stdin();
	return check_exit();
}
