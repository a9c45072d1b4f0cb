/* tests/unit/check.h - the smallest harness that reports well.
 * CHECK(expr) prints file:line and the expression when it is false and
 * remembers the failure; check_exit() returns 1 if any CHECK failed. */
#ifndef ALLOCTOP_TESTS_CHECK_H
#define ALLOCTOP_TESTS_CHECK_H

#include <stdio.h>

static int check_failures;
static int check_count;

#define CHECK(expr)                                                          \
	do {                                                                 \
		check_count++;                                               \
		if (!(expr)) {                                               \
			check_failures++;                                    \
			fprintf(stderr, "%s:%d: CHECK failed: %s\n",         \
				__FILE__, __LINE__, #expr);                  \
		}                                                            \
	} while (0)

#define CHECK_MSG(expr, ...)                                                 \
	do {                                                                 \
		check_count++;                                               \
		if (!(expr)) {                                               \
			check_failures++;                                    \
			fprintf(stderr, "%s:%d: CHECK failed: %s: ",         \
				__FILE__, __LINE__, #expr);                  \
			fprintf(stderr, __VA_ARGS__);                        \
			fputc('\n', stderr);                                 \
		}                                                            \
	} while (0)

static inline int check_exit(void)
{
	printf("%d checks, %d failed\n", check_count, check_failures);
	return check_failures ? 1 : 0;
}

#endif
