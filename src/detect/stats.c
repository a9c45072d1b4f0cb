/* src/detect/stats.c - EWMA, ring-buffer windows, median/MAD, normal tail.
 * See stats.h for the contracts.  The window's min and max use monotonic
 * deques of sequence numbers (each sample enters and leaves each deque at
 * most once, hence O(1) amortised). */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>

#include "detect/stats.h"

void det_ewma_init(struct det_ewma *e, double alpha)
{
	e->alpha = alpha > 0 && alpha <= 1 ? alpha : 0.1;
	e->mean = 0;
	e->var = 0;
	e->n = 0;
}

void det_ewma_push(struct det_ewma *e, double x)
{
	double diff;
	double incr;

	if (e->n++ == 0) {
		e->mean = x;
		e->var = 0;
		return;
	}
	diff = x - e->mean;
	incr = e->alpha * diff;
	e->mean += incr;
	e->var = (1 - e->alpha) * (e->var + diff * incr);
}

double det_ewma_sd(const struct det_ewma *e)
{
	return e->n < 2 ? 0 : sqrt(e->var);
}

/* 2^24 samples (128 MiB per ring) is far beyond any sensible window; the
 * bound keeps the size arithmetic below from overflowing. */
#define WINDOW_CAP_MAX ((size_t)1 << 24)

struct det_window {
	size_t cap;
	size_t count;
	uint64_t seq;		/* samples ever pushed; next sequence number */
	uint64_t since_exact;	/* pushes since sums were recomputed */
	double ref;		/* sums are of (x - ref) */
	double sum;
	double sumsq;
	/* Monotonic deques of sequence numbers, ring-indexed modulo cap:
	 * values at minq are increasing, at maxq decreasing. */
	size_t min_head;
	size_t min_len;
	size_t max_head;
	size_t max_len;
	uint64_t *minq;
	uint64_t *maxq;
	double *ring;		/* sample with sequence s is at ring[s % cap] */
};

struct det_window *det_window_new(size_t cap)
{
	struct det_window *w;

	if (cap == 0 || cap > WINDOW_CAP_MAX) {
		errno = EINVAL;
		return NULL;
	}
	w = calloc(1, sizeof(*w));
	if (w == NULL)
		return NULL;
	w->ring = calloc(cap, sizeof(*w->ring));
	w->minq = calloc(cap, sizeof(*w->minq));
	w->maxq = calloc(cap, sizeof(*w->maxq));
	if (w->ring == NULL || w->minq == NULL || w->maxq == NULL) {
		det_window_free(w);
		errno = ENOMEM;
		return NULL;
	}
	w->cap = cap;
	return w;
}

void det_window_free(struct det_window *w)
{
	if (w == NULL)
		return;
	free(w->ring);
	free(w->minq);
	free(w->maxq);
	free(w);
}

void det_window_reset(struct det_window *w)
{
	w->count = 0;
	w->seq = 0;
	w->since_exact = 0;
	w->ref = 0;
	w->sum = 0;
	w->sumsq = 0;
	w->min_head = w->min_len = 0;
	w->max_head = w->max_len = 0;
}

static double ring_val(const struct det_window *w, uint64_t s)
{
	return w->ring[s % w->cap];
}

/* Drop from the front of a deque every sequence number older than first. */
static void deque_expire(const struct det_window *w, const uint64_t *q,
			 size_t *head, size_t *len, uint64_t first)
{
	while (*len > 0 && q[*head] < first) {
		*head = (*head + 1) % w->cap;
		(*len)--;
	}
}

static void recompute_sums(struct det_window *w)
{
	uint64_t first = w->seq - w->count;
	uint64_t s;

	w->ref = w->count ? ring_val(w, w->seq - 1) : 0;
	w->sum = 0;
	w->sumsq = 0;
	for (s = first; s < w->seq; s++) {
		double d = ring_val(w, s) - w->ref;

		w->sum += d;
		w->sumsq += d * d;
	}
	w->since_exact = 0;
}

void det_window_push(struct det_window *w, double x)
{
	uint64_t s = w->seq;
	uint64_t first;
	size_t tail;

	if (w->count == w->cap) {
		double old = ring_val(w, s - w->cap) - w->ref;

		w->sum -= old;
		w->sumsq -= old * old;
	} else {
		w->count++;
	}
	w->ring[s % w->cap] = x;
	w->seq = s + 1;
	first = w->seq - w->count;

	deque_expire(w, w->minq, &w->min_head, &w->min_len, first);
	while (w->min_len > 0) {
		tail = (w->min_head + w->min_len - 1) % w->cap;
		if (ring_val(w, w->minq[tail]) < x)
			break;
		w->min_len--;
	}
	w->minq[(w->min_head + w->min_len++) % w->cap] = s;

	deque_expire(w, w->maxq, &w->max_head, &w->max_len, first);
	while (w->max_len > 0) {
		tail = (w->max_head + w->max_len - 1) % w->cap;
		if (ring_val(w, w->maxq[tail]) > x)
			break;
		w->max_len--;
	}
	w->maxq[(w->max_head + w->max_len++) % w->cap] = s;

	if (++w->since_exact >= w->cap || w->count == 1) {
		recompute_sums(w);
	} else {
		double d = x - w->ref;

		w->sum += d;
		w->sumsq += d * d;
	}
}

size_t det_window_count(const struct det_window *w)
{
	return w->count;
}

size_t det_window_cap(const struct det_window *w)
{
	return w->cap;
}

double det_window_at(const struct det_window *w, size_t i)
{
	if (i >= w->count)
		return NAN;
	return ring_val(w, w->seq - w->count + i);
}

double det_window_mean(const struct det_window *w)
{
	if (w->count == 0)
		return NAN;
	return w->ref + w->sum / (double)w->count;
}

double det_window_var(const struct det_window *w)
{
	double n = (double)w->count;
	double v;

	if (w->count == 0)
		return NAN;
	if (w->count == 1)
		return 0;
	v = (w->sumsq - w->sum * w->sum / n) / (n - 1);
	return v > 0 ? v : 0;
}

double det_window_min(const struct det_window *w)
{
	if (w->count == 0)
		return NAN;
	return ring_val(w, w->minq[w->min_head]);
}

double det_window_max(const struct det_window *w)
{
	if (w->count == 0)
		return NAN;
	return ring_val(w, w->maxq[w->max_head]);
}

/* Wirth's selection (Hoare partition around v[k]): expected O(n).  Signed
 * indices because j may step one below lo. */
static double select_kth(double *v, size_t n, size_t kk)
{
	ptrdiff_t lo = 0;
	ptrdiff_t hi = (ptrdiff_t)n - 1;
	ptrdiff_t k = (ptrdiff_t)kk;

	while (lo < hi) {
		double pivot = v[k];
		ptrdiff_t i = lo;
		ptrdiff_t j = hi;

		do {
			while (v[i] < pivot)
				i++;
			while (pivot < v[j])
				j--;
			if (i <= j) {
				double t = v[i];

				v[i] = v[j];
				v[j] = t;
				i++;
				j--;
			}
		} while (i <= j);
		if (j < k)
			lo = i;
		if (k < i)
			hi = j;
	}
	return v[k];
}

double det_median(double *v, size_t n)
{
	double hi;
	double lo;
	size_t i;

	if (n == 0)
		return NAN;
	hi = select_kth(v, n, n / 2);
	if (n % 2)
		return hi;
	/* After selection everything below n/2 is <= hi: its max is the
	 * lower middle. */
	lo = v[0];
	for (i = 1; i < n / 2; i++)
		if (v[i] > lo)
			lo = v[i];
	return (lo + hi) / 2;
}

double det_mad(double *v, size_t n, double med)
{
	size_t i;

	for (i = 0; i < n; i++)
		v[i] = fabs(v[i] - med);
	return det_median(v, n);
}

double det_normal_sf(double z)
{
	return 0.5 * erfc(z / sqrt(2.0));
}

double det_ramp(double x, double lo, double hi)
{
	if (!(x > lo))
		return 0;
	if (x >= hi)
		return 1;
	return (x - lo) / (hi - lo);
}
