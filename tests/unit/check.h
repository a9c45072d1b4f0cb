/* tests/unit/check.h - the tiny unit-test harness shared by every module.
 *
 * CHECK(expr) evaluates expr once; on failure it prints file:line and the
 * expression to stderr and remembers the failure, without stopping, so one
 * run shows every broken assertion.  CHECK_NEAR(a, b, tol) compares doubles
 * and prints both values.  A test's main() ends with `return check_exit();`
 * (0 if all passed, 1 otherwise, as automake's TESTS expects).
 *
 * Header-only on purpose: each test is one program and needs no library.
 * The counters are static, so each translation unit has its own; keep the
 * CHECKs of one program in one .c file. */
#ifndef ALLOCTOP_TESTS_CHECK_H
#define ALLOCTOP_TESTS_CHECK_H

#include <math.h>
#include <stdio.h>
#include <string.h>

static unsigned check_failed;
static unsigned check_total;

#define CHECK(expr)							\
	do {								\
		check_total++;						\
		if (!(expr)) {						\
			check_failed++;					\
			fprintf(stderr, "%s:%d: CHECK failed: %s\n",	\
				__FILE__, __LINE__, #expr);		\
		}							\
	} while (0)

/* CHECK with a printf-style explanation on failure. */
#define CHECK_MSG(expr, ...)						\
	do {								\
		check_total++;						\
		if (!(expr)) {						\
			check_failed++;					\
			fprintf(stderr, "%s:%d: CHECK failed: %s: ",	\
				__FILE__, __LINE__, #expr);		\
			fprintf(stderr, __VA_ARGS__);			\
			fputc('\n', stderr);				\
		}							\
	} while (0)

/* Two strings equal, both shown on failure. */
#define CHECK_STR(got, want)						\
	do {								\
		const char *check_g_ = (got);				\
		const char *check_w_ = (want);				\
		check_total++;						\
		if (strcmp(check_g_, check_w_) != 0) {			\
			check_failed++;					\
			fprintf(stderr, "%s:%d: %s\n  got:  %s\n  want: %s\n", \
				__FILE__, __LINE__, #got, check_g_,	\
				check_w_);				\
		}							\
	} while (0)

/* |a - b| <= tol, with both values in the message; NaN never passes. */
#define CHECK_NEAR(a, b, tol)						\
	do {								\
		double check_a_ = (a);					\
		double check_b_ = (b);					\
		check_total++;						\
		if (!(fabs(check_a_ - check_b_) <= (tol))) {		\
			check_failed++;					\
			fprintf(stderr, "%s:%d: CHECK failed: %s == %s "\
				"(+-%g): got %.9g and %.9g\n",		\
				__FILE__, __LINE__, #a, #b,		\
				(double)(tol), check_a_, check_b_);	\
		}							\
	} while (0)

/* Summary line on stdout, exit status for main(). */
static inline int check_exit(void)
{
	printf("%u of %u checks passed\n", check_total - check_failed,
	       check_total);
	return check_failed ? 1 : 0;
}

#endif
