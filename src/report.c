/* src/report.c - batch text and NDJSON writers. */
#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>
#include <time.h>

#include "model.h"
#include "report.h"

void report_bytes(char *out, size_t len, double bytes)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB",
					    "PiB" };
	unsigned u = 0;

	while (fabs(bytes) >= 1024 && u + 1 < sizeof unit / sizeof unit[0]) {
		bytes /= 1024;
		u++;
	}
	if (u == 0)
		snprintf(out, len, "%.0f %s", bytes, unit[u]);
	else
		snprintf(out, len, fabs(bytes) < 10 ? "%.1f %s" : "%.0f %s",
			 bytes, unit[u]);
}

static const char *range_label(char *out, size_t len, unsigned lo_b,
			       unsigned hi_b)
{
	char a[24];
	char b[24];

	report_bytes(a, sizeof a, (double)seg_hist_lower(lo_b));
	if (hi_b >= SEG_HIST_BUCKETS)
		snprintf(out, len, ">=%s", a);
	else {
		report_bytes(b, sizeof b, (double)seg_hist_lower(hi_b));
		snprintf(out, len, "%s-<%s", a, b);
	}
	return out;
}

/* The text view groups the log-linear buckets by powers of 16 (0-15 B,
 * 16-255 B, ...) so the summary fits a line or two. */
static void text_histogram(FILE *f, const struct seg_counters *c)
{
	uint64_t total = 0;
	unsigned lo = 0;
	bool any = false;

	for (unsigned b = 0; b < SEG_HIST_BUCKETS; b++)
		total += c->hist[b];
	fprintf(f, "Sizes:");
	if (total == 0) {
		fprintf(f, " (no allocations)\n");
		return;
	}
	for (unsigned e = 4; lo < SEG_HIST_BUCKETS; e += 4) {
		unsigned hi = e >= SEG_HIST_MAX_LOG2 ? SEG_HIST_BUCKETS :
			      seg_hist_bucket(1ull << e);
		uint64_t n = 0;
		char label[80];

		for (unsigned b = lo; b < hi; b++)
			n += c->hist[b];
		if (n != 0) {
			fprintf(f, "%s %s %.1f%%", any ? " |" : "",
				range_label(label, sizeof label, lo, hi),
				100.0 * (double)n / (double)total);
			any = true;
		}
		lo = hi;
	}
	fputc('\n', f);
}

static void text_process(FILE *f, const struct report_tick *t)
{
	char rss[32];

	if (t->proc == NULL) {
		fprintf(f, "Process: gone\n");
		return;
	}
	report_bytes(rss, sizeof rss, (double)t->proc->rss_bytes);
	fprintf(f, "Process: RSS %s  threads %" PRIu32 "  fds %d  CPU %.1f%%"
		"  state %c\n", rss, t->proc->threads, t->proc->fds,
		t->cpu_pct, t->proc->state ? t->proc->state : '?');
}

static void where_text(char *out, size_t len, const struct sym_frame *w)
{
	if (w == NULL)
		snprintf(out, len, "(resolving)");
	else if (w->function[0] && w->file[0])
		snprintf(out, len, "%s (%s:%d)", w->function, w->file, w->line);
	else if (w->function[0])
		snprintf(out, len, "%s (%s+0x%llx)", w->function, w->module,
			 (unsigned long long)w->offset);
	else
		snprintf(out, len, "%s+0x%llx", w->module,
			 (unsigned long long)w->offset);
}

static void text_sites(FILE *f, const struct report_tick *t)
{
	uint32_t idx[256];
	uint32_t n;
	unsigned top = t->top > 256 ? 256 : t->top;

	if (t->sites == NULL || top == 0 || t->snap->sample_bytes == 0)
		return;
	n = sites_sorted(t->sites, t->sort, idx, top);
	fprintf(f, "Hotspots by %s (%s):\n", sites_key_name(t->sort),
		t->snap->sample_bytes == 1 ? "exact" : "sampled estimates");
	if (n == 0) {
		fprintf(f, "  (no allocation sampled yet)\n");
		return;
	}
	fprintf(f, "  %10s %9s %10s %9s %10s  %s\n", "LIVE", "LIVE#", "ALLOC",
		"ALLOC#", "ALLOC/s", "WHERE");
	for (uint32_t i = 0; i < n; i++) {
		const struct site_row *r = sites_row(t->sites, idx[i]);
		char lb[24], ab[24], rb[24], where[512];

		report_bytes(lb, sizeof lb, (double)site_live_bytes(r));
		report_bytes(ab, sizeof ab, (double)r->raw.alloc_bytes);
		report_bytes(rb, sizeof rb, r->alloc_bytes_per_s);
		if (r->id == 0)
			snprintf(where, sizeof where,
				 "(other: no stack, or site table full)");
		else
			where_text(where, sizeof where, r->where);
		fprintf(f, "  %10s %9" PRIu64 " %10s %9" PRIu64 " %10s  %s\n",
			lb, site_live_objects(r), ab, r->raw.alloc_objects, rb,
			where);
	}
}

static const char *severity_word(enum model_severity s)
{
	return s == MODEL_CRITICAL ? "CRITICAL" :
	       s == MODEL_WARNING ? "WARNING" : "info";
}

/* The newest alerts of the model, oldest first: those the last push
 * added. */
static void for_new_alerts(const struct model *m,
			   void (*fn)(void *, const struct model_alert *),
			   void *arg)
{
	uint32_t n = m->new_alerts < MODEL_ALERTS ? m->new_alerts :
						    MODEL_ALERTS;

	for (uint32_t i = m->n_alerts - n; i < m->n_alerts; i++)
		fn(arg, &m->alerts[i % MODEL_ALERTS]);
}

static void text_alert(void *arg, const struct model_alert *a)
{
	fprintf(arg, "Alert: %s at %.1fs: %s\n", severity_word(a->severity),
		a->t_s, a->text);
}

/* "Trend: threads +12/min (confidence 0.9999)  LEAK", when growing. */
static void text_count_trend(FILE *f, const char *what,
			     const struct det_metric_state *ms)
{
	if (!ms->has_trend || !(ms->growth_conf >= 0.95) ||
	    !(ms->slope_per_s > 0))
		return;
	fprintf(f, "Trend: %s %+.0f/min (confidence %.3f)%s\n", what,
		ms->slope_per_s * 60, ms->growth_conf,
		ms->leak ? "  LEAK" : "");
}

static void text_findings(FILE *f, const struct report_tick *t)
{
	const struct model *m = t->model;
	const struct det_metric_state *live;
	char a[32];

	if (m == NULL)
		return;
	live = &m->det.m[DET_M_LIVE_BYTES];
	if (m->pattern != NULL)
		fprintf(f, "Pattern: %s (%.0f%%): %s\n", m->pattern,
			100 * m->pattern_confidence,
			m->pattern_reason ? m->pattern_reason : "");
	if (live->has_trend && live->growth_conf >= 0.95 &&
	    live->slope_per_s > 0) {
		report_bytes(a, sizeof a, live->slope_per_s * 60);
		fprintf(f, "Trend: live heap %s%s/min (confidence %.3f)%s",
			live->slope_per_s > 0 ? "+" : "", a, live->growth_conf,
			live->leak ? "  LEAK" : "");
		if (isfinite(m->det.exhaustion_s))
			fprintf(f, "  exhausted in %.0fs", m->det.exhaustion_s);
		fputc('\n', f);
	}
	text_count_trend(f, "threads", &m->det.m[DET_M_THREADS]);
	text_count_trend(f, "open fds", &m->det.m[DET_M_FDS]);
	for_new_alerts(m, text_alert, f);
}

void report_text(FILE *f, const struct report_tick *t)
{
	const struct snapshot *s = t->snap;
	char a[32], b[32], c2[32], d[64];
	char clock[16];
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(clock, sizeof clock, "%H:%M:%S", &tm);
	if (s == NULL) {
		fprintf(f, "alloctop - %s  pid %d  %s  not under the shim "
			"(only /proc figures)%s\n", clock,
			t->pid, t->proc ? t->proc->comm : "?",
			t->final ? "  final" : "");
		text_process(f, t);
		fputc('\n', f);
		return;
	}
	if (s->sample_bytes == 0)
		snprintf(d, sizeof d, "stacks off");
	else if (s->sample_bytes == 1)
		snprintf(d, sizeof d, "exact");
	else {
		report_bytes(a, sizeof a, (double)s->sample_bytes);
		snprintf(d, sizeof d, "sampling 1/%s", a);
	}
	report_bytes(a, sizeof a, (double)(s->segment_bytes + s->private_bytes));
	fprintf(f, "alloctop - %s  pid %d  %s  up %.1fs  %s%s  %s  shim mem %s%s\n",
		clock, s->pid, s->comm, t->elapsed_s,
		snap_state_name(s->state), s->stale ? " (stale)" : "", d, a,
		t->final ? "  final" : "");
	if (t->event)
		fprintf(f, "Event: %s (exec #%u)\n", t->event, s->exec_count);
	report_bytes(a, sizeof a, (double)snap_live_bytes(s));
	report_bytes(b, sizeof b, (double)snap_requested_bytes(s));
	report_bytes(c2, sizeof c2,
		     (double)snap_live_bytes(s) * snap_slack_ratio(s));
	fprintf(f, "Heap: live %s in %" PRIu64 " blocks  slack %s (%.1f%%)"
		"  requested %s in all\n", a, snap_live_blocks(s), c2,
		100 * snap_slack_ratio(s), b);
	if (t->rates != NULL) {
		report_bytes(a, sizeof a, t->rates->bytes_per_s);
		report_bytes(b, sizeof b, t->rates->freed_bytes_per_s);
		fprintf(f, "Rates: %.0f allocs/s  %.0f frees/s  %s/s "
			"allocated  %s/s freed\n", t->rates->allocs_per_s,
			t->rates->frees_per_s, a, b);
	}
	fprintf(f, "Totals: allocs %" PRIu64 "  frees %" PRIu64
		"  calls %" PRIu64 "  failed %" PRIu64 "  realloc moves %"
		PRIu64 "\n", s->total.alloc_blocks, s->total.free_blocks,
		snap_alloc_calls(s) + s->total.fn[SEG_FN_FREE].calls,
		snap_failed(s), s->total.realloc_moves);
	fprintf(f, "Threads: %" PRIu64 " live  %" PRIu64 " seen", s->threads_live,
		s->threads_total);
	if (s->threads_unslotted)
		fprintf(f, "  (%" PRIu64 " beyond the slot table)",
			s->threads_unslotted);
	fputc('\n', f);
	text_process(f, t);
	if (s->total.ops != 0) {
		double ops = (double)s->total.ops;

		report_bytes(a, sizeof a,
			     (double)snap_requested_bytes(s) / ops);
		fprintf(f, "Ops: %" PRIu64, s->total.ops);
		if (t->rates)
			fprintf(f, " (%.0f/s)", t->rates->ops_per_s);
		fprintf(f, "  %s/op  %.2f allocs/op\n", a,
			(double)s->total.alloc_blocks / ops);
	}
	fprintf(f, "Calls:");
	for (int fn = 0; fn < SEG_FN_COUNT; fn++) {
		const struct seg_fn_counters *k = &s->total.fn[fn];

		if (k->calls == 0)
			continue;
		fprintf(f, " %s %" PRIu64, snap_fn_name((enum seg_fn)fn),
			k->calls);
		if (k->failed)
			fprintf(f, " (%" PRIu64 " failed)", k->failed);
	}
	fputc('\n', f);
	text_histogram(f, &s->total);
	text_findings(f, t);
	text_sites(f, t);
	if (t->final && t->exit_status >= 0)
		fprintf(f, "Exit: status %d\n", t->exit_status);
	fputc('\n', f);
}

/* ---- JSON --------------------------------------------------------------- */

static void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s != '\0'; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20 || ch == 0x7f)
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

static void json_num(FILE *f, double v)
{
	if (isfinite(v))
		fprintf(f, "%.6g", v);
	else
		fputs("null", f);
}

static void json_proc(FILE *f, const struct report_tick *t)
{
	fputs(",\"proc\":", f);
	if (t->proc == NULL) {
		fputs("null", f);
		return;
	}
	fprintf(f, "{\"rss_bytes\":%" PRIu64 ",\"threads\":%" PRIu32
		",\"fds\":%d,\"cpu_pct\":", t->proc->rss_bytes,
		t->proc->threads, t->proc->fds);
	json_num(f, t->cpu_pct);
	fputc('}', f);
}

static void json_frame(FILE *f, const struct sym_frame *w)
{
	fputs("{\"function\":", f);
	json_string(f, w ? w->function : "");
	fputs(",\"file\":", f);
	json_string(f, w ? w->file : "");
	fprintf(f, ",\"line\":%d,\"module\":", w ? w->line : 0);
	json_string(f, w ? w->module : "?");
	fprintf(f, ",\"offset\":%llu", w ? (unsigned long long)w->offset : 0);
	if (w && w->inlined[0]) {
		fputs(",\"inlined\":", f);
		json_string(f, w->inlined);
	}
	fputc('}', f);
}

/* Per function, flat or cumulative: the same figures as per site. */
static void json_functions(FILE *f, const struct report_tick *t,
			   bool cumulative)
{
	struct site_func fn[64];
	unsigned top = t->top > 64 ? 64 : t->top;
	uint32_t n = sites_by_function(t->sites, cumulative, t->sort, fn, top);

	fprintf(f, ",\"%s\":[", cumulative ? "functions_cumulative" :
					     "functions");
	for (uint32_t i = 0; i < n; i++) {
		fputs(i ? ",{\"function\":" : "{\"function\":", f);
		json_string(f, fn[i].function);
		fprintf(f, ",\"sites\":%u", fn[i].sites);
		for (int k = 0; k < SITES_KEY_COUNT; k++) {
			fprintf(f, ",\"%s\":", sites_key_name((enum sites_key)k));
			json_num(f, fn[i].value[k]);
		}
		fputc('}', f);
	}
	fputc(']', f);
}

/* ,"KEY":{"per_min":12,"growth_confidence":0.9999,"leak":true} (per_s
 * when per is 1, per_min when 60), or null when there is no verdict. */
static void json_trend(FILE *f, const char *key, bool valid,
		       double slope_per_s, double growth_conf, bool leak,
		       int per)
{
	fprintf(f, ",\"%s\":", key);
	if (!valid) {
		fputs("null", f);
		return;
	}
	fprintf(f, "{\"%s\":", per == 60 ? "per_min" : "per_s");
	json_num(f, slope_per_s * per);
	fputs(",\"growth_confidence\":", f);
	json_num(f, growth_conf);
	fprintf(f, ",\"leak\":%s}", leak ? "true" : "false");
}

/* A detector metric's trend, as json_trend. */
static void json_metric_trend(FILE *f, const char *key,
			      const struct det_metric_state *ms, int per)
{
	json_trend(f, key, ms->has_trend, ms->slope_per_s, ms->growth_conf,
		   ms->leak, per);
}

/* A call site's live-bytes trend: null when the site is not followed. */
static void json_site_trend(FILE *f, const struct model *m, uint32_t id)
{
	struct det_site_trend st;
	bool valid = m != NULL && model_site_trend(m, id, &st) && st.valid;

	json_trend(f, "trend", valid, valid ? st.slope_per_s : 0,
		   valid ? st.growth_conf : 0, valid && st.leak, 60);
}

static void json_sites(FILE *f, const struct report_tick *t)
{
	uint32_t idx[1024];
	uint32_t n;
	unsigned top = t->top > 1024 ? 1024 : t->top;

	if (t->sites == NULL || top == 0)
		return;
	n = sites_sorted(t->sites, t->sort, idx, top);
	fprintf(f, ",\"sites_total\":%u,\"sites\":[",
		sites_count(t->sites) ? sites_count(t->sites) - 1 : 0);
	for (uint32_t i = 0; i < n; i++) {
		const struct site_row *r = sites_row(t->sites, idx[i]);
		double life = site_avg_lifetime_s(r);

		fprintf(f, "%s{\"id\":%u,\"alloc_bytes\":%" PRIu64
			",\"alloc_objects\":%" PRIu64 ",\"free_bytes\":%" PRIu64
			",\"free_objects\":%" PRIu64 ",\"live_bytes\":%" PRIu64
			",\"live_objects\":%" PRIu64 ",\"samples\":%" PRIu64
			",\"min_size\":%" PRIu64 ",\"max_size\":%" PRIu64
			",\"realloc_grows\":%" PRIu64 ",\"alloc_bytes_per_s\":",
			i ? "," : "", r->id, r->raw.alloc_bytes,
			r->raw.alloc_objects, r->raw.free_bytes,
			r->raw.free_objects, site_live_bytes(r),
			site_live_objects(r), r->raw.samples,
			r->raw.min_size == UINT64_MAX ? 0 : r->raw.min_size,
			r->raw.max_size, r->raw.realloc_grows);
		json_num(f, r->alloc_bytes_per_s);
		fputs(",\"alloc_objects_per_s\":", f);
		json_num(f, r->alloc_objects_per_s);
		fputs(",\"growth_bytes_per_min\":", f);
		json_num(f, r->growth_bytes_per_min);
		json_site_trend(f, t->model, r->id);
		fputs(",\"avg_size\":", f);
		json_num(f, r->raw.alloc_objects ? (double)r->raw.alloc_bytes /
				    (double)r->raw.alloc_objects : 0);
		fputs(",\"avg_lifetime_s\":", f);
		json_num(f, life >= 0 ? life : NAN);
		fputs(",\"size_hist\":[", f);
		for (unsigned b = 0, first = 1; b < SEG_SIZE_BUCKETS; b++) {
			if (r->raw.sizes[b] == 0)
				continue;
			fprintf(f, "%s[%" PRIu64 ",%" PRIu64 "]", first ? "" : ",",
				seg_size_lower(b), r->raw.sizes[b]);
			first = 0;
		}
		fputs("],\"where\":", f);
		json_frame(f, r->id ? r->where : NULL);
		fputs(",\"frames\":[", f);
		for (uint32_t k = 0; k < r->raw.nframes; k++) {
			if (k)
				fputc(',', f);
			json_frame(f, sites_frame(t->sites, r, k));
		}
		fputs("]}", f);
	}
	fputc(']', f);
	json_functions(f, t, false);
	json_functions(f, t, true);
}

struct json_list {
	FILE *f;
	bool first;
};

static void json_alert(void *arg, const struct model_alert *a)
{
	struct json_list *l = arg;

	fprintf(l->f, "%s{\"severity\":\"%s\",\"t_s\":", l->first ? "" : ",",
		a->severity == MODEL_CRITICAL ? "critical" :
		a->severity == MODEL_WARNING ? "warning" : "info");
	json_num(l->f, a->t_s);
	fprintf(l->f, ",\"active\":%s,\"text\":", a->active ? "true" : "false");
	json_string(l->f, a->text);
	fputc('}', l->f);
	l->first = false;
}

static void json_findings(FILE *f, const struct report_tick *t)
{
	const struct model *m = t->model;
	const struct det_metric_state *live;
	struct json_list l = { f, true };

	if (m == NULL)
		return;
	live = &m->det.m[DET_M_LIVE_BYTES];
	fputs(",\"pattern\":", f);
	if (m->pattern == NULL) {
		fputs("null", f);
	} else {
		fputs("{\"class\":", f);
		json_string(f, m->pattern);
		fputs(",\"confidence\":", f);
		json_num(f, m->pattern_confidence);
		fputs(",\"reason\":", f);
		json_string(f, m->pattern_reason ? m->pattern_reason : "");
		fputc('}', f);
	}
	fputs(",\"trend\":{\"live_bytes_per_s\":", f);
	json_num(f, live->has_trend ? live->slope_per_s : NAN);
	fputs(",\"growth_confidence\":", f);
	json_num(f, live->has_trend ? live->growth_conf : NAN);
	fprintf(f, ",\"leak\":%s,\"exhaustion_s\":",
		live->leak ? "true" : "false");
	json_num(f, m->det.exhaustion_s);
	fprintf(f, ",\"period_ticks\":%u", live->period_ticks);
	json_metric_trend(f, "rss", &m->det.m[DET_M_RSS_BYTES], 1);
	json_metric_trend(f, "threads", &m->det.m[DET_M_THREADS], 60);
	json_metric_trend(f, "fds", &m->det.m[DET_M_FDS], 60);
	fputc('}', f);
	fputs(",\"alerts\":[", f);
	for_new_alerts(m, json_alert, &l);
	fputc(']', f);
}

void report_json(FILE *f, const struct report_tick *t)
{
	const struct snapshot *s = t->snap;
	const struct seg_counters *c;
	bool first = true;

	fprintf(f, "{\"tick\":%u,\"final\":%s,\"elapsed_s\":", t->tick,
		t->final ? "true" : "false");
	json_num(f, t->elapsed_s);
	fprintf(f, ",\"time\":%lld", (long long)time(NULL));
	if (t->final && t->exit_status >= 0)
		fprintf(f, ",\"exit_status\":%d", t->exit_status);
	if (t->event) {
		fputs(",\"event\":", f);
		json_string(f, t->event);
	}
	if (s == NULL) {
		fprintf(f, ",\"shim\":false,\"pid\":%d", t->pid);
		json_proc(f, t);
		fputs("}\n", f);
		return;
	}
	c = &s->total;
	fprintf(f, ",\"shim\":true,\"pid\":%d,\"comm\":", s->pid);
	json_string(f, s->comm);
	fprintf(f, ",\"state\":\"%s\",\"stale\":%s,\"exec_count\":%u,"
		"\"parent_pid\":%d,\"sample_bytes\":%" PRIu64,
		snap_state_name(s->state), s->stale ? "true" : "false",
		s->exec_count, s->parent_pid, s->sample_bytes);
	fprintf(f, ",\"totals\":{\"alloc_calls\":%" PRIu64
		",\"free_calls\":%" PRIu64 ",\"alloc_blocks\":%" PRIu64
		",\"free_blocks\":%" PRIu64 ",\"alloc_bytes\":%" PRIu64
		",\"free_bytes\":%" PRIu64 ",\"requested_bytes\":%" PRIu64
		",\"live_bytes\":%" PRIu64 ",\"live_blocks\":%" PRIu64
		",\"failed\":%" PRIu64 ",\"realloc_moves\":%" PRIu64
		",\"ops\":%" PRIu64 ",\"slack_ratio\":",
		snap_alloc_calls(s), c->fn[SEG_FN_FREE].calls, c->alloc_blocks,
		c->free_blocks, c->alloc_bytes, c->free_bytes,
		snap_requested_bytes(s), snap_live_bytes(s),
		snap_live_blocks(s), snap_failed(s), c->realloc_moves, c->ops);
	json_num(f, snap_slack_ratio(s));
	fputs("},\"rates\":", f);
	if (t->rates == NULL) {
		fputs("null", f);
	} else {
		fputs("{\"allocs_per_s\":", f);
		json_num(f, t->rates->allocs_per_s);
		fputs(",\"frees_per_s\":", f);
		json_num(f, t->rates->frees_per_s);
		fputs(",\"bytes_per_s\":", f);
		json_num(f, t->rates->bytes_per_s);
		fputs(",\"freed_bytes_per_s\":", f);
		json_num(f, t->rates->freed_bytes_per_s);
		fputs(",\"ops_per_s\":", f);
		json_num(f, t->rates->ops_per_s);
		fputc('}', f);
	}
	fputs(",\"per_op\":", f);
	if (c->ops == 0) {
		fputs("null", f);
	} else {
		fputs("{\"bytes\":", f);
		json_num(f, (double)snap_requested_bytes(s) / (double)c->ops);
		fputs(",\"allocs\":", f);
		json_num(f, (double)c->alloc_blocks / (double)c->ops);
		fputc('}', f);
	}
	fputs(",\"calls\":{", f);
	for (int fn = 0; fn < SEG_FN_COUNT; fn++)
		fprintf(f, "%s\"%s\":{\"calls\":%" PRIu64 ",\"bytes\":%" PRIu64
			",\"failed\":%" PRIu64 "}", fn ? "," : "",
			snap_fn_name((enum seg_fn)fn), c->fn[fn].calls,
			c->fn[fn].bytes, c->fn[fn].failed);
	fprintf(f, "},\"sampling\":{\"samples\":%" PRIu64 ",\"stack_hits\":%"
		PRIu64 ",\"sites_dropped\":%" PRIu64 ",\"ptrs_dropped\":%" PRIu64
		"},\"shim_memory\":{"
		"\"segment_bytes\":%" PRIu64 ",\"private_bytes\":%" PRIu64 "}",
		s->samples, s->stack_hits, s->sites_dropped, s->ptrs_dropped,
		s->segment_bytes, s->private_bytes);
	fprintf(f, ",\"threads\":{\"live\":%" PRIu64 ",\"total\":%" PRIu64
		",\"unslotted\":%" PRIu64 "}", s->threads_live,
		s->threads_total, s->threads_unslotted);
	json_proc(f, t);
	fputs(",\"histogram\":[", f);
	for (unsigned b = 0; b < SEG_HIST_BUCKETS; b++) {
		if (c->hist[b] == 0)
			continue;
		fprintf(f, "%s[%" PRIu64 ",%" PRIu64 ",%" PRIu64 "]",
			first ? "" : ",", seg_hist_lower(b),
			b + 1 < SEG_HIST_BUCKETS ? seg_hist_lower(b + 1) - 1 :
						   UINT64_MAX,
			c->hist[b]);
		first = false;
	}
	fputc(']', f);
	json_findings(f, t);
	json_sites(f, t);
	fputs("}\n", f);
}
