/* src/main.c - alloctop's command line, start-up and tear-down order.
 *
 *   alloctop [OPTIONS] -- CMD [ARGS]   launch CMD under the shim
 *   alloctop [OPTIONS] -p PID          attach to a process under the shim
 *
 * Only this file exits.  Exit status: 0 ok, 1 runtime failure, 2 bad usage;
 * in launch mode, the command's own status once it has run.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cfg.h"
#include "collect/proc.h"
#include "collect/reader.h"
#include "collect/target.h"
#include "detect_cli.h"
#include "model.h"
#include "report.h"
#include "ui/ui.h"

struct opts {
	bool batch;
	bool json;
	double delay_s;
	unsigned long iterations;	/* 0: until the target ends */
	pid_t pid;
	char **argv;			/* launch mode */
	const char *output;
	const char *sample_bytes;
	unsigned top;			/* call sites per report */
	enum sites_key sort;
	const char *config;		/* --config FILE */
	int fail_on;			/* -1 from the config; else cfg_fail_on */
	bool delay_set;			/* -d given: overrides tick.interval_ms */
	bool ascii;			/* TUI: ASCII graphs */
	bool no_color;			/* TUI: monochrome */
};

static void usage(FILE *f)
{
	fputs("Usage: alloctop [OPTIONS] -- COMMAND [ARGS...]\n"
	      "       alloctop [OPTIONS] -p PID\n"
	      "       alloctop detect [--changepoints|--anomalies|--trend|--classify|--period] [FILE|-]\n"
	      "Shows, live, how a process uses its heap: allocation calls and\n"
	      "rates, live bytes, sizes, threads.  The process runs under\n"
	      "liballoctop.so (alloctop -- COMMAND preloads it for you).\n"
	      "\n"
	      "  -p, --pid PID          attach to a running process\n"
	      "  -b, --batch            plain text, one block per tick (like top -b)\n"
	      "      --json             one JSON object per tick (implies -b)\n"
	      "  -d, --delay SECONDS    tick length (default 1, at least 0.05)\n"
	      "  -n, --iterations N     stop after N ticks (launch mode: then\n"
	      "                         wait for the command and print its totals)\n"
	      "  -o, --output FILE      write the report to FILE, not stdout\n"
	      "      --sample-bytes N   launch: mean bytes between sampled stacks\n"
	      "                         (0 off, 1 every allocation; default 524288)\n"
	      "      --exact            launch: every allocation's stack (= --sample-bytes 1)\n"
	      "      --top N            call sites per report (default 10, 0 none)\n"
	      "      --sort KEY         live_bytes (default), live_objects,\n"
	      "                         alloc_bytes, alloc_objects, rate, growth\n"
	      "      --ascii            ASCII graphs (automatic outside UTF-8)\n"
	      "      --no-color         no colours (also when NO_COLOR is set)\n"
	      "      --config FILE      settings and alert thresholds (alloctop.yaml(5))\n"
	      "      --check-config [FILE]  check a settings file and exit\n"
	      "      --fail-on LEVEL    batch: exit 3 if a warning or critical alert\n"
	      "                         was raised (none, warning, critical)\n"
	      "  -h, --help             this text\n"
	      "  -V, --version          version\n"
	      "\n"
	      "Exit status: 0 ok, 1 failure, 2 usage; in launch mode the\n"
	      "command's own status.  See alloctop(1).\n", f);
}

static int bad_usage(const char *fmt, const char *arg)
	__attribute__((format(printf, 1, 0)));

static int bad_usage(const char *fmt, const char *arg)
{
	fputs("alloctop: ", stderr);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	fprintf(stderr, fmt, arg);	/* fmt: always a literal of ours */
#pragma GCC diagnostic pop
	fputs("\nhint: alloctop --help\n", stderr);
	return 2;
}

/* No pid and no command: the processes of ours under the shim.  With one,
 * watch it; with several, list them and let the user pick (exit 0 after
 * the list).  False when there is none. */
static bool choose_target(struct opts *o)
{
	pid_t pids[64];
	int n;

	reader_reclaim_stale();
	n = reader_list(pids, 64);
	if (n == 0)
		return false;
	if (n == 1) {
		o->pid = pids[0];
		return true;
	}
	printf("%d processes run under the shim; pick one with -p PID:\n",
	       n);
	printf("%8s  %s\n", "PID", "COMMAND");
	for (int i = 0; i < n && i < 64; i++) {
		char cmd[256];

		proc_cmdline(pids[i], cmd, sizeof cmd);
		printf("%8d  %s\n", (int)pids[i], cmd);
	}
	exit(0);
}

/* 0, or 2 after saying what is wrong. */
static int parse(int argc, char **argv, struct opts *o)
{
	enum { OPT_JSON = 256, OPT_SAMPLE, OPT_EXACT, OPT_TOP, OPT_SORT,
	       OPT_ASCII, OPT_NO_COLOR, OPT_CONFIG, OPT_FAIL_ON };
	static const struct option longs[] = {
		{ "pid", required_argument, NULL, 'p' },
		{ "batch", no_argument, NULL, 'b' },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "delay", required_argument, NULL, 'd' },
		{ "iterations", required_argument, NULL, 'n' },
		{ "output", required_argument, NULL, 'o' },
		{ "sample-bytes", required_argument, NULL, OPT_SAMPLE },
		{ "exact", no_argument, NULL, OPT_EXACT },
		{ "config", required_argument, NULL, OPT_CONFIG },
		{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
		{ "top", required_argument, NULL, OPT_TOP },
		{ "sort", required_argument, NULL, OPT_SORT },
		{ "ascii", no_argument, NULL, OPT_ASCII },
		{ "no-color", no_argument, NULL, OPT_NO_COLOR },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	int c;

	o->delay_s = 1.0;
	o->fail_on = -1;
	o->top = 10;
	o->sort = SITES_LIVE_BYTES;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+p:bd:n:o:hV", longs, NULL)) !=
	       -1) {
		switch (c) {
		case 'p': {
			long v;

			errno = 0;
			v = strtol(optarg, &end, 10);
			if (errno || *end || v <= 0 || v > INT_MAX)
				return bad_usage("-p: not a process id: '%s'",
						 optarg);
			o->pid = (pid_t)v;
			break;
		}
		case 'b':
			o->batch = true;
			break;
		case OPT_JSON:
			o->json = o->batch = true;
			break;
		case 'd':
			o->delay_set = true;
			o->delay_s = strtod(optarg, &end);
			if (*end || !(o->delay_s >= 0.05 && o->delay_s <= 3600))
				return bad_usage("-d: not a tick length between "
						 "0.05 and 3600 seconds: '%s'",
						 optarg);
			break;
		case 'n':
			errno = 0;
			o->iterations = strtoul(optarg, &end, 10);
			if (errno || *end || *optarg == '-' ||
			    o->iterations == 0)
				return bad_usage("-n: not a positive count: '%s'",
						 optarg);
			break;
		case 'o':
			o->output = optarg;
			break;
		case OPT_SAMPLE:
			strtoull(optarg, &end, 10);
			if (*end || *optarg == '\0' || *optarg == '-')
				return bad_usage("--sample-bytes: not a byte "
						 "count: '%s'", optarg);
			o->sample_bytes = optarg;
			break;
		case OPT_CONFIG:
			o->config = optarg;
			break;
		case OPT_FAIL_ON:
			if (strcmp(optarg, "none") == 0)
				o->fail_on = CFG_FAIL_NONE;
			else if (strcmp(optarg, "warning") == 0)
				o->fail_on = CFG_FAIL_WARNING;
			else if (strcmp(optarg, "critical") == 0)
				o->fail_on = CFG_FAIL_CRITICAL;
			else
				return bad_usage("--fail-on: not none, warning or "
						 "critical: '%s'", optarg);
			break;
		case OPT_EXACT:
			o->sample_bytes = "1";
			break;
		case OPT_TOP: {
			unsigned long v;

			errno = 0;
			v = strtoul(optarg, &end, 10);
			if (errno || *end || *optarg == '-' || v > 100000)
				return bad_usage("--top: not a count of call "
						 "sites: '%s'", optarg);
			o->top = (unsigned)v;
			break;
		}
		case OPT_SORT:
			o->sort = sites_key_parse(optarg);
			if (o->sort == SITES_KEY_COUNT)
				return bad_usage("--sort: unknown key '%s' (live_bytes"
						 ", live_objects, alloc_bytes, "
						 "alloc_objects, rate, growth)",
						 optarg);
			break;
		case OPT_ASCII:
			o->ascii = true;
			break;
		case OPT_NO_COLOR:
			o->no_color = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case 'V':
			puts(PACKAGE_STRING);
			exit(0);
		case '?':
		default:
			if (optopt && optopt < 256)
				return bad_usage("unknown option '-%s'",
						 (char[]){ (char)optopt, 0 });
			return bad_usage("unknown or incomplete option '%s'",
					 argv[optind - 1]);
		}
	}
	if (optind < argc)
		o->argv = &argv[optind];
	if (o->argv != NULL && o->pid != 0)
		return bad_usage("%s", "give either -p PID or a command, "
				 "not both");
	if (o->argv == NULL && o->pid == 0 && !choose_target(o)) {
		usage(stderr);
		fputs("\nalloctop: nothing to watch: no process of yours runs "
		      "under the shim now\nhint: start one with 'alloctop -- "
		      "CMD ARGS', or with liballoctop.so in LD_PRELOAD\n",
		      stderr);
		return 2;
	}
	if (o->sample_bytes != NULL && o->argv == NULL)
		return bad_usage("%s", "--sample-bytes applies to a launched "
				 "command (set ALLOCTOP_SAMPLE_BYTES for others)");
	return 0;
}

static void on_signal(int sig)
{
	(void)sig;
	target_interrupt();
}

static void report(FILE *f, const struct opts *o, const struct model *m,
		   unsigned tick)
{
	const struct target_view *v = &m->view;
	struct report_tick t = {
		.tick = tick,
		.pid = v->pid,
		.final = v->gone,
		.elapsed_s = v->elapsed_s,
		.snap = v->has_segment ? &v->snap : NULL,
		.rates = v->have_rates ? &v->rates : NULL,
		.proc = v->proc_ok ? &v->proc : NULL,
		.cpu_pct = v->cpu_pct,
		.exit_status = v->exit_status,
		.event = v->event,
		.sites = v->sites,
		.model = m,
		.top = o->top,
		.sort = o->sort,
	};

	if (o->json)
		report_json(f, &t);
	else
		report_text(f, &t);
	fflush(f);
}

/* The batch loop: one report per tick until the target ends or -n ticks
 * have passed.  Returns the exit status. */
static int batch_loop(const struct opts *o, struct target *t, struct model *m,
		      FILE *out)
{
	const struct target_view *v = target_view(t);
	char why[512];
	unsigned tick = 0;
	bool forwarded = false;

	for (;;) {
		bool periodic = o->iterations == 0 || tick < o->iterations;

		if (periodic)
			target_wait(t, o->delay_s);
		else
			target_wait_exit(t);	/* -n done: final totals only */
		if (target_interrupted() && !forwarded && v->launched) {
			target_signal(t, SIGTERM);
			target_wait_exit(t);
			forwarded = true;
		}
		if (target_update(t, why, sizeof why) != 0) {
			fprintf(stderr, "alloctop: %s\n", why);
			return 1;
		}
		model_push(m, v);
		if (v->gone || periodic)
			report(out, o, m, ++tick);
		if (v->gone)
			return v->launched ? v->exit_status : 0;
		if (target_interrupted() && !v->launched)
			return 0;
		if (!periodic && !v->launched)
			return 0;
		if (o->iterations && tick >= o->iterations && !v->launched)
			return 0;
	}
}

/* --fail-on: status 3 when an alert of that severity or worse was raised
 * and the run itself succeeded (a failing command's status wins). */
#define EXIT_ALERTS 3

static int run_batch(const struct opts *o, struct target *t, FILE *out,
		     int fail_on)
{
	struct model m = { 0 };
	int rc;

	if (model_init(&m, o->delay_s) != 0) {
		fputs("alloctop: out of memory\n", stderr);
		return 1;
	}
	rc = batch_loop(o, t, &m, out);
	if (rc == 0 && ((fail_on == CFG_FAIL_WARNING &&
			 m.worst_severity >= MODEL_WARNING) ||
			(fail_on == CFG_FAIL_CRITICAL &&
			 m.worst_severity >= MODEL_CRITICAL))) {
		fprintf(stderr, "alloctop: %s alerts were raised (--fail-on "
			"%s)\n", m.worst_severity >= MODEL_CRITICAL ?
			"critical" : "warning", cfg_fail_on_name(fail_on));
		rc = EXIT_ALERTS;
	}
	model_free(&m);
	return rc;
}

int main(int argc, char **argv)
{
	struct opts o = { 0 };
	struct target_opts to = { 0 };
	struct target *t = NULL;
	struct sigaction sa;
	FILE *out = stdout;
	char why[512];
	char log_path[4096];
	char sample[32];
	static struct cfg cfg;	/* outlives every model */
	int rc;

	/* Subcommands and one-shot modes first: they take over argv. */
	if (argc > 1 && strcmp(argv[1], "detect") == 0)
		return det_cli_main(argc - 1, argv + 1);
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "--check-config") == 0)
			return cfg_check_main(argc - i, argv + i);

	rc = parse(argc, argv, &o);
	if (rc != 0)
		return rc;
	if (cfg_load(&cfg, o.config, why, sizeof why) != 0) {
		fprintf(stderr, "alloctop: %s\n", why);
		return 2;
	}
	model_set_config(&cfg);
	if (!o.delay_set)
		o.delay_s = cfg.tick.interval_ms / 1000.0;
	if (o.sample_bytes == NULL && o.argv != NULL &&
	    getenv("ALLOCTOP_SAMPLE_BYTES") == NULL) {
		snprintf(sample, sizeof sample, "%llu",
			 (unsigned long long)cfg.tick.sample_bytes);
		o.sample_bytes = sample;
	}
	if (o.fail_on < 0)
		o.fail_on = (int)cfg.alerts.fail_on;
	if (o.output != NULL) {
		out = fopen(o.output, "w");
		if (out == NULL) {
			fprintf(stderr, "alloctop: %s: %s\n", o.output,
				strerror(errno));
			return 1;
		}
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);

	/* No terminal to draw on (a pipe, a script): batch, as before. */
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		o.batch = true;
	to.pid = o.pid;
	to.argv = o.argv;
	to.sample_bytes = o.sample_bytes;
	/* Batch resolves every site before printing; the screen never waits
	 * and lets new sites fill in over the next ticks. */
	to.sym_budget = o.batch ? -1 : 256;
	if (!o.batch && o.argv != NULL) {
		/* The TUI owns the terminal: the command writes to a log. */
		rc = ui_log_create(log_path, sizeof log_path);
		if (rc != 0) {
			fprintf(stderr, "alloctop: cannot create a log file "
				"for the command's output: %s\n",
				strerror(-rc));
			return 1;
		}
		to.log_path = log_path;
	}
	rc = target_open(&to, &t, why, sizeof why);
	if (rc != 0) {
		fprintf(stderr, "alloctop: %s\n", why);
		if (to.log_path != NULL)
			unlink(to.log_path);
		return rc == -ENOENT && o.argv ? 127 : 1;
	}
	if (why[0] != '\0')
		fprintf(stderr, "alloctop: %s\n", why);
	if (o.batch) {
		rc = run_batch(&o, t, out, o.fail_on);
	} else {
		struct ui_opts uo = { o.delay_s, o.ascii, o.no_color,
				      to.log_path, why,
				      cfg.hotspot.warning_share,
				      cfg.hotspot.critical_share };

		rc = ui_run(t, &uo);
	}
	target_close(t);
	if (out != stdout && fclose(out) != 0) {
		fprintf(stderr, "alloctop: %s: %s\n", o.output,
			strerror(errno));
		return 1;
	}
	return rc;
}
