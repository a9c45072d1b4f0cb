/* tests/unit/test_det_synth.c - deterministic synthetic series for the
 * detector tests: a seeded xorshift64* generator and normal noise.
 *
 * Not a program of its own: the test_det_*.c files #include it (the
 * functions are static inline, so unused ones cost nothing and raise no
 * warning).  It is a .c file only because tests/unit/test_* other than *.c
 * is ignored by git; the Makefile ships it through EXTRA_DIST. */
#ifndef ALLOCTOP_TEST_DET_SYNTH
#define ALLOCTOP_TEST_DET_SYNTH

#include <math.h>
#include <stdint.h>

struct synth_rng {
	uint64_t s;
};

static inline void synth_seed(struct synth_rng *r, uint64_t seed)
{
	r->s = seed * 0x9e3779b97f4a7c15ULL + 0x2545f4914f6cdd1dULL;
	if (r->s == 0)
		r->s = 1;
}

/* Uniform in (0, 1). */
static inline double synth_uniform(struct synth_rng *r)
{
	uint64_t x = r->s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	r->s = x;
	x *= 0x2545f4914f6cdd1dULL;
	return ((double)(x >> 11) + 0.5) / 9007199254740992.0;
}

/* Standard normal by Box-Muller (one value per call; simplicity wins). */
static inline double synth_normal(struct synth_rng *r)
{
	double u1 = synth_uniform(r);
	double u2 = synth_uniform(r);

	return sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
}

#endif
