/* src/sim/run.c - phase runner and the workers' step loop (see run.h). */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>

#include "alloctop.h"
#include "sim/pace.h"
#include "sim/run.h"

static struct worker run_workers[RUN_MAX_THREADS];

bool worker_step(struct worker *w, uint64_t g, double due_s)
{
	if (w->failed || pace_stopping())
		return false;
	if (w->iterations != 0) {
		if (g >= w->iterations)
			return false;
	} else {
		if (w->start_s + due_s >= w->end_s)
			return false;
		pace_sleep_until(w->start_s + due_s);
		if (pace_stopping())
			return false;
	}
	/* Late steps (a slow host) must not run past the phase's end. */
	if (isfinite(w->end_s) && pace_now_s() >= w->end_s)
		return false;
	w->c.steps++;
	if (w->ops) {
		alloctop_ops(1);
		w->c.ops++;
	}
	return true;
}

uint64_t worker_share(const struct worker *w, uint64_t total)
{
	return total / w->nthreads + (w->tid < total % w->nthreads);
}

static void *run_thread(void *arg)
{
	struct worker *w = arg;

	w->wl->run(w);
	return NULL;
}

int run_phase(struct phase_result *r, const struct phase_plan *plan,
	      unsigned index, const struct run_conf *conf, double deadline_s)
{
	pthread_t tids[RUN_MAX_THREADS];
	unsigned started = 0;
	unsigned i;
	double end_s = deadline_s;
	int err = 0;

	memset(r, 0, sizeof(*r));
	r->plan = plan;
	r->start_s = pace_now_s();
	if (plan->duration_s > 0 && r->start_s + plan->duration_s < end_s)
		end_s = r->start_s + plan->duration_s;

	for (i = 0; i < conf->threads; i++) {
		struct worker *w = &run_workers[i];

		memset(w, 0, sizeof(*w));
		w->wl = plan->wl;
		w->params = plan->params;
		w->tid = i;
		w->nthreads = conf->threads;
		w->start_s = r->start_s;
		w->end_s = end_s;
		w->iterations = plan->iterations;
		w->ops = conf->ops;
		rng_seed(&w->rng, conf->seed,
			 (uint64_t)index * RUN_MAX_THREADS + i);
	}

	if (conf->threads == 1) {
		plan->wl->run(&run_workers[0]);
		started = 1;
	} else {
		sigset_t all;
		sigset_t old;

		/* Stop signals go to the main thread, which is only
		 * waiting here; workers poll the flag. */
		sigfillset(&all);
		pthread_sigmask(SIG_BLOCK, &all, &old);
		for (i = 0; i < conf->threads; i++) {
			err = -pthread_create(&tids[i], NULL, run_thread,
					      &run_workers[i]);
			if (err != 0) {
				pace_request_stop();
				break;
			}
			started++;
		}
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		for (i = 0; i < started; i++)
			pthread_join(tids[i], NULL);
	}

	for (i = 0; i < started; i++) {
		counts_add(&r->c, &run_workers[i].c);
		if (run_workers[i].failed && err == 0)
			err = -ENOMEM;
	}
	/* A paced phase lasts its whole duration, so phases tile the
	 * timeline even when the last step came early. */
	if (err == 0 && plan->iterations == 0 && isfinite(end_s))
		pace_sleep_until(end_s);
	r->end_s = pace_now_s();
	r->interrupted = pace_stopping();
	return err;
}
