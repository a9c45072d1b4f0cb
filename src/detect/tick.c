/* src/detect/tick.c - names and accessors for struct det_tick. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "detect/tick.h"

#define FIELD(f) { #f, offsetof(struct det_tick, f) }

static const struct {
	const char *name;
	size_t off;
} fields[] = {
	FIELD(t_s), FIELD(allocs_per_s), FIELD(frees_per_s),
	FIELD(alloc_bytes_per_s), FIELD(live_bytes), FIELD(live_blocks),
	FIELD(rss_bytes), FIELD(threads), FIELD(fds), FIELD(slack_ratio),
	FIELD(recent_slack),
	FIELD(small_frac), FIELD(large_frac), FIELD(large_allocs),
	FIELD(realloc_frac), FIELD(avg_size), FIELD(top_site_share),
	FIELD(top_site_size_cv), FIELD(short_lived_frac),
	FIELD(site_growth_per_s),
};

/* enum det_metric -> field offset; same order as the enum. */
static const size_t metric_off[DET_METRIC_COUNT] = {
	offsetof(struct det_tick, allocs_per_s),
	offsetof(struct det_tick, frees_per_s),
	offsetof(struct det_tick, alloc_bytes_per_s),
	offsetof(struct det_tick, live_bytes),
	offsetof(struct det_tick, live_blocks),
	offsetof(struct det_tick, rss_bytes),
	offsetof(struct det_tick, threads),
	offsetof(struct det_tick, fds),
};

static const char *const metric_names[DET_METRIC_COUNT] = {
	"allocs_per_s", "frees_per_s", "alloc_bytes_per_s", "live_bytes",
	"live_blocks", "rss_bytes", "threads", "fds",
};

void det_tick_init(struct det_tick *tk)
{
	size_t i;

	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		*(double *)((char *)tk + fields[i].off) = NAN;
}

double det_tick_metric(const struct det_tick *tk, enum det_metric m)
{
	if ((unsigned)m >= DET_METRIC_COUNT)
		return NAN;
	return *(const double *)((const char *)tk + metric_off[m]);
}

const char *det_metric_name(enum det_metric m)
{
	return (unsigned)m < DET_METRIC_COUNT ? metric_names[m] : NULL;
}

int det_tick_set(struct det_tick *tk, const char *name, double v)
{
	size_t i;

	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		if (strcmp(fields[i].name, name) == 0) {
			*(double *)((char *)tk + fields[i].off) = v;
			return 0;
		}
	}
	return -ENOENT;
}
