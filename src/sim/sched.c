/* src/sim/sched.c - the mixed workload's schedule (see sched.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sim/sched.h"

/* Largest schedule file: far beyond SCHED_MAX_PHASES lines. */
#define SCHED_TEXT_MAX (64 * 1024)
/* Words on one line: a workload, a duration and its options. */
#define SCHED_MAX_WORDS 64
#define SCHED_DEFAULT_PHASE "10s"

/* Every pattern in 118 s, each long and strong enough to be told apart
 * (the README demo runs it under alloctop). */
static const char sched_default[] =
	"steady         10s\n"
	"burst          14s --every 3s --count 20000 --size 512\n"
	"growth         12s --rate 2MB/s\n"
	"cyclic         16s --period 8s --amplitude 16MB\n"
	"fragment       10s\n"
	"large          12s --every 3s --size 32MiB --hold 1s\n"
	"realloc        10s\n"
	"pool-candidate 10s\n"
	"thread-leak     6s --rate 5/s\n"
	"fd-leak         6s --rate 10/s\n"
	"cache-leak     12s\n";

struct mixed_params {
	const char *phases;	/* --phases LIST, or NULL */
	const char *schedule;	/* --schedule FILE, or NULL */
	bool loop;
};
SIM_PARAMS_FIT(struct mixed_params);

static char sched_text[SCHED_TEXT_MAX];

/* Parses one line's words into plan; where names the line. */
static int sched_line(char **words, int nwords, const char *where,
		      struct phase_plan *plan)
{
	const struct workload *wl = sim_workload_find(words[0]);
	const char *dur = SCHED_DEFAULT_PHASE;
	struct opt_set set;
	int first = 1;
	int rc;

	if (wl == NULL || wl->run == NULL) {
		sim_err("%s: unknown workload '%s'", where, words[0]);
		return -EINVAL;
	}
	if (nwords > 1 && strncmp(words[1], "--", 2) != 0) {
		dur = words[1];
		first = 2;
	}
	if (!opt_parse_duration(dur, &plan->duration_s) ||
	    plan->duration_s <= 0) {
		sim_err("%s: not a duration: '%s'", where, dur);
		return -EINVAL;
	}
	plan->wl = wl;
	plan->iterations = 0;
	set.opts = wl->opts;
	set.base = plan->params;
	opt_defaults(&set, 1);
	rc = opt_parse(&set, 1, nwords - first, words + first, where);
	if (rc == OPT_HELP) {
		sim_err("%s: --help is not a phase option", where);
		return -EINVAL;
	}
	if (rc == 0 && wl->check != NULL)
		rc = wl->check(plan->params, where);
	return rc;
}

/* Splits sched_text into lines and words and parses each line.  origin
 * (a file name, or NULL for the --phases list) and the line number name a
 * line in messages. */
static int sched_parse(const char *origin, struct phase_plan *plans,
		       size_t *n)
{
	char *line = sched_text;
	unsigned lineno = 0;

	*n = 0;
	while (line != NULL) {
		char *next = strchr(line, '\n');
		char *words[SCHED_MAX_WORDS];
		char where[256];
		char *hash;
		char *save = NULL;
		char *word;
		int nwords = 0;
		int rc;

		if (next != NULL)
			*next++ = '\0';
		lineno++;
		hash = strchr(line, '#');
		if (hash != NULL)
			*hash = '\0';
		if (origin != NULL)
			snprintf(where, sizeof(where), "%s:%u", origin,
				 lineno);
		else
			snprintf(where, sizeof(where), "--phases: phase %u",
				 lineno);
		for (word = strtok_r(line, " \t\r", &save); word != NULL;
		     word = strtok_r(NULL, " \t\r", &save)) {
			if (nwords == SCHED_MAX_WORDS) {
				sim_err("%s: more than %d words", where,
					SCHED_MAX_WORDS);
				return -EINVAL;
			}
			words[nwords++] = word;
		}
		line = next;
		if (nwords == 0)
			continue;
		if (*n == SCHED_MAX_PHASES) {
			sim_err("%s: more than %d phases", where,
				SCHED_MAX_PHASES);
			return -EINVAL;
		}
		rc = sched_line(words, nwords, where, &plans[*n]);
		if (rc != 0)
			return rc;
		(*n)++;
	}
	if (*n == 0) {
		sim_err("%s: no phases", origin != NULL ? origin : "--phases");
		return -EINVAL;
	}
	return 0;
}

static int sched_read(const char *path)
{
	size_t len = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int rc = 0;

	if (fd < 0) {
		rc = -errno;
		sim_err("%s: %s", path, strerror(errno));
		return rc;
	}
	for (;;) {
		ssize_t got = read(fd, sched_text + len,
				   sizeof(sched_text) - 1 - len);

		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			rc = -errno;
			sim_err("%s: %s", path, strerror(errno));
			break;
		}
		if (got == 0)
			break;
		len += (size_t)got;
		if (len == sizeof(sched_text) - 1) {
			sim_err("%s: larger than %d KiB", path,
				SCHED_TEXT_MAX / 1024);
			rc = -EFBIG;
			break;
		}
	}
	close(fd);
	sched_text[len] = '\0';
	return rc;
}

int sched_build(const void *mixed_params, struct phase_plan *plans,
		size_t *n)
{
	const struct mixed_params *mp = mixed_params;
	char *c;
	int rc;

	if (mp->phases != NULL && mp->schedule != NULL) {
		sim_err("--phases: not together with --schedule");
		return -EINVAL;
	}
	if (mp->schedule != NULL) {
		rc = sched_read(mp->schedule);
		return rc != 0 ? rc : sched_parse(mp->schedule, plans, n);
	}
	if (mp->phases == NULL) {
		memcpy(sched_text, sched_default, sizeof(sched_default));
		return sched_parse("default schedule", plans, n);
	}
	/* "steady:60s,burst:30s" is the schedule "steady 60s\nburst 30s". */
	if (strlen(mp->phases) >= sizeof(sched_text)) {
		sim_err("--phases: too long");
		return -EINVAL;
	}
	strcpy(sched_text, mp->phases);
	for (c = sched_text; *c != '\0'; c++) {
		if (*c == ',')
			*c = '\n';
		else if (*c == ':')
			*c = ' ';
		else if (*c == '\n' || *c == '#')
			*c = ' ';
	}
	return sched_parse(NULL, plans, n);
}

bool sched_loops(const void *mixed_params)
{
	const struct mixed_params *mp = mixed_params;

	return mp->loop;
}

#define P(f) .offset = offsetof(struct mixed_params, f)
static const struct opt mixed_opts[] = {
	{ .name = "--phases", .type = OPT_STRING, P(phases),
	  .arg = "NAME:DURATION,...",
	  .help = "phases to run in order (default: every pattern, 2 min)" },
	{ .name = "--schedule", .type = OPT_STRING, P(schedule),
	  .arg = "FILE",
	  .help = "read the phases from FILE: 'WORKLOAD DURATION [OPTIONS]' "
		  "lines" },
	{ .name = "--loop", .type = OPT_FLAG, P(loop),
	  .help = "repeat the schedule until --duration or Ctrl-C" },
	{ .name = NULL },
};
#undef P

static const char *const mixed_no_sites[] = { NULL };

const struct workload wl_mixed = {
	.name = "mixed",
	.class = NULL,
	.summary = "a schedule of the workloads above, one after another",
	.opts = mixed_opts,
	.params_size = sizeof(struct mixed_params),
	.leak_sites = mixed_no_sites,
	.run = NULL,
};
