/* src/sim/main.c - alloctop-sim: command line, start-up and tear-down.
 *
 * alloctop-sim allocates like a real program, in a pattern it was told,
 * through the ordinary C library, so alloctop (or any allocation profiler)
 * has something known to show; --labels writes down what it really did.
 *
 * Order: parse everything (exit 2 on any mistake, before any work), plan
 * the phases, install the stop handler, run the phases, write the labels,
 * linger.  No malloc-family call is made outside the workloads: options,
 * schedule and labels use fixed buffers, messages go out with write(2).
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sim/labels.h"
#include "sim/pace.h"
#include "sim/run.h"
#include "sim/sched.h"
#include "sim/sim.h"

/* Phases one run records: 256 passes of a short schedule, or two hours of
 * the default one with --loop.  Bounds the labels file (labels.c). */
#define MAIN_MAX_RESULTS 256
/* A single workload stops after this unless told otherwise: long enough
 * to watch, short enough that a forgotten growth run stays small. */
#define MAIN_DEFAULT_DURATION_S 60.0

struct common {
	double duration;	/* seconds; < 0: not given */
	uint64_t iterations;
	uint64_t seed;
	uint64_t threads;
	bool ops;
	const char *labels;
	bool quiet;
	double delay;
	double linger;
};

#define P(f) .offset = offsetof(struct common, f)
static const struct opt common_opts[] = {
	{ .name = "--duration", .type = OPT_DURATION, P(duration),
	  .help = "run time, 0 for no end (default 60s; mixed: one pass)" },
	{ .name = "--iterations", .type = OPT_UINT, P(iterations),
	  .help = "run exactly N steps per phase, unpaced (deterministic)" },
	{ .name = "--seed", .type = OPT_UINT, P(seed), .dflt = "1",
	  .help = "random seed: same seed, same sizes and counts" },
	{ .name = "--threads", .type = OPT_UINT, P(threads), .dflt = "1",
	  .help = "worker threads sharing the work", .min = 1,
	  .max = RUN_MAX_THREADS },
	{ .name = "--ops", .type = OPT_FLAG, P(ops),
	  .help = "report each step to alloctop as an application op" },
	{ .name = "--labels", .type = OPT_STRING, P(labels), .arg = "FILE",
	  .help = "write what the run did, as JSON, to FILE" },
	{ .name = "--quiet", .type = OPT_FLAG, P(quiet),
	  .help = "print errors only" },
	{ .name = "--delay", .type = OPT_DURATION, P(delay), .dflt = "0",
	  .help = "idle this long before the first phase" },
	{ .name = "--linger", .type = OPT_DURATION, P(linger), .dflt = "0",
	  .help = "stay alive this long after the labels are written" },
	{ .name = NULL },
};
#undef P

static struct phase_plan main_plans[SCHED_MAX_PHASES];
static struct phase_result main_results[MAIN_MAX_RESULTS];

static void usage(void)
{
	size_t i;

	printf("Usage: %s WORKLOAD [OPTIONS]\n"
	       "Allocates through the C library in a known pattern, for "
	       "alloctop to show.\n\nWorkloads:\n", SIM_PROG);
	for (i = 0; sim_workloads[i] != NULL; i++)
		printf("  %-16s %s\n", sim_workloads[i]->name,
		       sim_workloads[i]->summary);
	printf("\nCommon options:\n");
	opt_help(common_opts);
	printf("\nSizes: 64, 4K or 4KiB (1024), 4KB (1000), M, MiB, MB, ...; "
	       "durations: 500ms, 10s, 2m;\nrates: 10/s, 600/m, 1MB/s.  "
	       "'%s WORKLOAD --help' shows the workload's options.\n",
	       SIM_PROG);
}

static void usage_workload(const struct workload *wl)
{
	printf("Usage: %s %s [OPTIONS]\n%s: %s", SIM_PROG, wl->name,
	       wl->name, wl->summary);
	if (wl->class != NULL)
		printf(" (labels class %s)", wl->class);
	printf("\n\nOptions:\n");
	opt_help(wl->opts);
	printf("\nCommon options:\n");
	opt_help(common_opts);
}

static void on_stop(int sig)
{
	(void)sig;
	pace_request_stop();
}

static void install_stop_handler(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: a sleeping main thread wakes up at once. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

/* Parses the command line into c and the plans.  Returns 0, OPT_HELP
 * (help printed), or -EINVAL (message printed). */
static int parse_args(int argc, char **argv, struct common *c,
		      const struct workload **wlp, void *params, size_t *nplans)
{
	const struct workload *wl;
	struct opt_set sets[2];
	int rc;

	if (argc < 2) {
		sim_err("missing workload");
		sim_err("hint: '%s --help' lists them", SIM_PROG);
		return -EINVAL;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage();
		return OPT_HELP;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("%s %s\n", SIM_PROG, PACKAGE_VERSION);
		return OPT_HELP;
	}
	wl = sim_workload_find(argv[1]);
	if (wl == NULL) {
		sim_err("unknown workload '%s'", argv[1]);
		sim_err("hint: '%s --help' lists them", SIM_PROG);
		return -EINVAL;
	}
	*wlp = wl;
	sets[0].opts = wl->opts;
	sets[0].base = params;
	sets[1].opts = common_opts;
	sets[1].base = c;
	opt_defaults(sets, 2);
	c->duration = -1;
	rc = opt_parse(sets, 2, argc - 2, argv + 2, NULL);
	if (rc == OPT_HELP)
		usage_workload(wl);
	if (rc != 0)
		return rc;
	if (wl->check != NULL && wl->check(params, NULL) != 0)
		return -EINVAL;

	if (wl->run == NULL) {
		size_t i;

		rc = sched_build(params, main_plans, nplans);
		for (i = 0; rc == 0 && i < *nplans; i++)
			main_plans[i].iterations = c->iterations;
		if (c->duration < 0)
			c->duration = 0;
		return rc;
	}
	if (c->duration < 0)
		c->duration = MAIN_DEFAULT_DURATION_S;
	main_plans[0].wl = wl;
	main_plans[0].duration_s = c->duration;
	main_plans[0].iterations = c->iterations;
	memcpy(main_plans[0].params, params, wl->params_size);
	*nplans = 1;
	return 0;
}

static void report_phase(const struct phase_result *r)
{
	const struct counts *c = &r->c;

	sim_info("%s: %s after %.1fs: %llu allocs, %llu frees, "
		 "%llu bytes leaked%s",
		 r->plan->wl->name, r->interrupted ? "stopped" : "done",
		 r->end_s - r->start_s, (unsigned long long)c->allocs,
		 (unsigned long long)c->frees,
		 (unsigned long long)(c->bytes_allocated - c->bytes_freed),
		 c->threads_leaked ? ", threads leaked" :
		 c->fds_leaked ? ", fds leaked" : "");
}

/* Runs the plans (repeatedly with --loop) into main_results.  Returns 0
 * or 1 (a runtime failure, already reported). */
static int run_all(const struct common *c, size_t nplans, bool loop,
		   size_t *nresults)
{
	struct run_conf conf = {
		.seed = c->seed,
		.threads = (unsigned)c->threads,
		.ops = c->ops,
	};
	double deadline = INFINITY;
	size_t n = 0;
	int status = 0;

	if (nplans > 1 && c->duration > 0)
		deadline = pace_now_s() + c->duration;
	do {
		size_t i;

		for (i = 0; i < nplans; i++) {
			const struct phase_plan *p = &main_plans[i];
			struct phase_result *r = &main_results[n];
			int rc;

			if (pace_stopping() || pace_now_s() >= deadline)
				break;
			if (n == MAIN_MAX_RESULTS) {
				sim_info("stopping after %d phases, as many "
					 "as the labels record",
					 MAIN_MAX_RESULTS);
				loop = false;
				break;
			}
			sim_info("%s: pid %ld: starting (%s)", p->wl->name,
				 (long)getpid(), p->wl->class);
			rc = run_phase(r, p, (unsigned)n, &conf, deadline);
			n++;
			report_phase(r);
			if (rc == -ENOMEM) {
				sim_err("%s: out of memory", p->wl->name);
				status = 1;
			} else if (rc != 0) {
				sim_err("%s: cannot start worker thread: %s",
					p->wl->name, strerror(-rc));
				status = 1;
			}
			if (status != 0)
				break;
		}
	} while (loop && status == 0 && !pace_stopping() &&
		 pace_now_s() < deadline);
	*nresults = n;
	return status;
}

int main(int argc, char **argv)
{
	alignas(max_align_t) unsigned char params[SIM_PARAMS_MAX];
	const struct workload *wl = NULL;
	struct common c;
	struct labels_run lr;
	size_t nplans = 0;
	size_t nresults = 0;
	bool interrupted;
	int status;
	int rc;

	pace_init();
	rc = parse_args(argc, argv, &c, &wl, params, &nplans);
	if (rc == OPT_HELP)
		return 0;
	if (rc != 0)
		return 2;
	sim_quiet = c.quiet;
	install_stop_handler();

	pace_sleep_until(c.delay);
	status = run_all(&c, nplans, wl->run == NULL && sched_loops(params),
			 &nresults);
	interrupted = pace_stopping() && status == 0;

	if (c.labels != NULL) {
		lr = (struct labels_run){
			.wl = wl,
			.params = params,
			.seed = c.seed,
			.threads = (unsigned)c.threads,
			.ops = c.ops,
			.iterations = c.iterations,
			.duration_s = c.duration,
			.phases = main_results,
			.nphases = nresults,
			.interrupted = interrupted,
			.status = status,
		};
		rc = labels_write(c.labels, &lr);
		if (rc != 0) {
			sim_err("--labels: cannot write '%s': %s", c.labels,
				strerror(-rc));
			status = 1;
		}
	}
	if (status == 0 && c.linger > 0)
		pace_sleep_until(pace_now_s() + c.linger);
	return status;
}
