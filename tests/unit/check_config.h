/* tests/unit/check_config.h - the smallest test harness: CHECK(expr) and
 * CHECK_STR(got, want) report file:line and keep going; check_exit()
 * returns 1 if any failed.  Stand-in until tests/unit/check.h exists. */
#ifndef ALLOCTOP_TESTS_CHECK_CONFIG_H
#define ALLOCTOP_TESTS_CHECK_CONFIG_H
#include <stdio.h>
#include <string.h>

static int check_failed;
static int check_passed;

#define CHECK(expr) \
	do { \
		if (expr) { \
			check_passed++; \
		} else { \
			check_failed++; \
			fprintf(stderr, "%s:%d: CHECK(%s) failed\n", \
				__FILE__, __LINE__, #expr); \
		} \
	} while (0)

#define CHECK_STR(got, want) \
	do { \
		const char *check_g_ = (got); \
		const char *check_w_ = (want); \
		if (strcmp(check_g_, check_w_) == 0) { \
			check_passed++; \
		} else { \
			check_failed++; \
			fprintf(stderr, "%s:%d: %s\n  got:  %s\n  want: %s\n", \
				__FILE__, __LINE__, #got, check_g_, \
				check_w_); \
		} \
	} while (0)

static inline int check_exit(void)
{
	printf("%d passed, %d failed\n", check_passed, check_failed);
	return check_failed ? 1 : 0;
}
#endif
