/* src/ui/ui.c - the loop that owns the screen (htop's ScreenManager_run):
 * each tick it reads the target and pushes the model, then draws every
 * window and calls doupdate once; between ticks it waits for keys with a
 * timeout, so a slow or dead target never blocks the keyboard.  Handlers
 * change state and return UI_ flags; only this loop draws. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "collect/target.h"
#include "model.h"
#include "report.h"
#include "ui/draw.h"
#include "ui/keymap.h"
#include "ui/screen.h"
#include "ui/ui.h"

#define KEY_ESC 27
/* Rows the footer takes: status line and function bar. */
#define FOOT_H 2
/* Longest wait for a key: how soon SIGINT or a paused screen is noticed
 * when a tick is far off. */
#define MAX_WAIT_MS 250
/* How long a launched command gets to end after SIGTERM on quit. */
#define TERM_GRACE_MS 2000
/* How long a status message stays; a lasting condition (a corrupt
 * segment) sets it again every tick. */
#define STATUS_S 8.0

static const struct screen *const screens[UI_SCREEN_COUNT] = {
	[UI_SCREEN_OVERVIEW] = &screen_overview,
	[UI_SCREEN_HOTSPOTS] = &screen_hotspots,
	[UI_SCREEN_ALERTS] = &screen_alerts,
	[UI_SCREEN_HELP] = &screen_help,
};

/* The three windows of the layout, remade when the terminal size or the
 * header height changes. */
struct layout {
	WINDOW *head;
	WINDOW *body;
	WINDOW *foot;
	int lines;
	int cols;
	int head_h;
};

static volatile sig_atomic_t curses_on;

int ui_log_create(char *out, size_t len)
{
	const char *dir = getenv("XDG_RUNTIME_DIR");
	int fd;

	if (dir == NULL || dir[0] != '/' || access(dir, W_OK) != 0)
		dir = "/tmp";
	if ((size_t)snprintf(out, len, "%s/alloctop-%d.log", dir,
			     (int)getpid()) >= len)
		return -ENAMETOOLONG;
	/* A stale log of an earlier alloctop with our pid: ours now. */
	if (unlink(out) != 0 && errno != ENOENT)
		return -errno;
	fd = open(out, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		  0600);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void set_status(struct ui *u, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The status line's message; long ones are cut at the window anyway. */
static void set_status(struct ui *u, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(u->status, sizeof u->status, fmt, ap);
	va_end(ap);
	u->status_s = now_s();
}

/* ---- terminal set-up and restoring ------------------------------------ */

static void on_fatal(int sig)
{
	/* Not async-signal-safe, but the process is dying anyway and a
	 * terminal left in raw mode is worse (htop's CRT_handleSIGSEGV). */
	if (curses_on)
		endwin();
	curses_on = 0;
	raise(sig);			/* SA_RESETHAND: the default action */
}

/* The terminal went away (the tmux pane or xterm closed): quit as for
 * SIGTERM, so a launched command is ended and reaped, not orphaned. */
static void on_hangup(int sig)
{
	(void)sig;
	target_interrupt();
}

static const int fatal_signals[] = { SIGSEGV, SIGBUS, SIGABRT, SIGILL,
				     SIGFPE };
#define N_FATAL (sizeof fatal_signals / sizeof fatal_signals[0])

static void catch_fatal(struct sigaction *old)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_fatal;
	sa.sa_flags = SA_RESETHAND | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < N_FATAL; i++)
		sigaction(fatal_signals[i], &sa, &old[i]);
	sa.sa_handler = on_hangup;
	sa.sa_flags = 0;
	sigaction(SIGHUP, &sa, &old[N_FATAL]);
}

static void restore_fatal(const struct sigaction *old)
{
	for (size_t i = 0; i < N_FATAL; i++)
		sigaction(fatal_signals[i], &old[i], NULL);
	sigaction(SIGHUP, &old[N_FATAL], NULL);
}

static void layout_free(struct layout *l)
{
	if (l->head)
		delwin(l->head);
	if (l->body)
		delwin(l->body);
	if (l->foot)
		delwin(l->foot);
	memset(l, 0, sizeof *l);
}

/* Windows for a head_h-line header; 0, or -ENOMEM. */
static int layout_make(struct layout *l, int head_h)
{
	int body_h;

	if (l->head != NULL && l->lines == LINES && l->cols == COLS &&
	    l->head_h == head_h)
		return 0;
	layout_free(l);
	if (head_h > LINES - FOOT_H - 1)
		head_h = LINES - FOOT_H - 1 > 1 ? LINES - FOOT_H - 1 : 1;
	body_h = LINES - head_h - FOOT_H;
	l->head = newwin(head_h, COLS, 0, 0);
	l->body = newwin(body_h > 1 ? body_h : 1, COLS, head_h, 0);
	l->foot = newwin(FOOT_H, COLS, LINES - FOOT_H > 0 ?
			 LINES - FOOT_H : 0, 0);
	if (l->head == NULL || l->body == NULL || l->foot == NULL) {
		layout_free(l);
		return -ENOMEM;
	}
	keypad(l->foot, TRUE);		/* keys are read through the footer */
	l->lines = LINES;
	l->cols = COLS;
	l->head_h = head_h;
	return 0;
}

/* ---- reading the target ------------------------------------------------ */

static void read_cmdline(struct ui *u)
{
	const struct target_view *v = &u->model->view;

	proc_cmdline(v->pid, u->cmdline, sizeof u->cmdline);
	if (u->cmdline[0] == '\0' && v->has_segment)
		snprintf(u->cmdline, sizeof u->cmdline, "%s", v->snap.comm);
	if (u->cmdline[0] == '\0' && v->proc_ok)
		snprintf(u->cmdline, sizeof u->cmdline, "%s", v->proc.comm);
}

static void tick(struct ui *u)
{
	const struct target_view *v = target_view(u->target);
	char why[512];

	if (target_update(u->target, why, sizeof why) != 0) {
		/* A corrupt segment: say so, keep the last good state. */
		set_status(u, "%s", why);
		return;
	}
	model_push(u->model, v);
	for (int s = 0; s < UI_SCREEN_COUNT; s++)
		if (screens[s]->tick != NULL && u->panel[s] != NULL)
			screens[s]->tick(u, u->panel[s]);
	if (v->proc_ok) {
		u->proc = v->proc;
		u->have_proc = true;
	}
	if (u->cmdline[0] == '\0' ||
	    (v->event != NULL && strcmp(v->event, "exec") == 0)) {
		read_cmdline(u);
		if (v->event != NULL)
			set_status(u, "the target exec'd: %s", u->cmdline);
	}
	if (v->has_segment && v->snap.stale)
		set_status(u, "segment busy: "
			 "showing the last settled counts");
}

/* ---- drawing ----------------------------------------------------------- */

static void fmt_duration(char *out, size_t len, double s)
{
	unsigned long t = s > 0 ? (unsigned long)s : 0;

	if (t >= 86400)
		snprintf(out, len, "%lud %02lu:%02lu", t / 86400,
			 t % 86400 / 3600, t % 3600 / 60);
	else
		snprintf(out, len, "%lu:%02lu:%02lu", t / 3600, t % 3600 / 60,
			 t % 60);
}

/* Lays "label value" fields along the lines from row y, wrapping; draws
 * only when win is not NULL.  Returns the lines used. */
static int flow_fields(WINDOW *win, int y, int w, const char *const *f,
		       int n)
{
	int line = 0;
	int x = 0;

	for (int i = 0; i + 1 < n; i += 2) {
		int len = (int)(strlen(f[i]) + 1 + strlen(f[i + 1]));

		if (x > 0 && x + len > w) {
			line++;
			x = 0;
		}
		if (win != NULL) {
			draw_text(win, y + line, x, w - x,
				  draw_attr(DRAW_LABEL), f[i]);
			draw_text(win, y + line, x + (int)strlen(f[i]) + 1,
				  w - x - (int)strlen(f[i]) - 1,
				  draw_attr(DRAW_VALUE), f[i + 1]);
		}
		x += len + 2;
	}
	return line + 1;
}

#define HEADER_FIELDS 20
#define FIELD_MAX 48

/* The header's "label value" pairs: memory first, as they matter most. */
static int header_fields(const struct ui *u, char buf[][FIELD_MAX], const char **f)
{
	const struct target_view *v = &u->model->view;
	int n = 0;

#define FIELD(label, ...) \
	do { \
		snprintf(buf[n / 2], FIELD_MAX, __VA_ARGS__); \
		f[n++] = label; \
		f[n] = buf[n / 2]; \
		n++; \
	} while (0)
	if (u->have_proc) {
		char b[16];

		report_bytes(b, sizeof b, (double)u->proc.rss_bytes);
		FIELD("RSS", "%s", b);
	}
	if (v->has_segment) {
		char b[16];
		char c[16];

		report_bytes(b, sizeof b, (double)snap_live_bytes(&v->snap));
		draw_count(c, sizeof c, (double)snap_live_blocks(&v->snap));
		FIELD("live heap", "%s in %s blocks", b, c);
	}
	if (u->have_proc) {
		FIELD("threads", "%u", u->proc.threads);
		if (u->proc.fds >= 0)
			FIELD("fds", "%d", u->proc.fds);
	}
	if (v->proc_ok)
		FIELD("CPU", "%.0f%%", v->cpu_pct);
	if (v->has_segment) {
		char b[16];

		if (v->snap.sample_bytes == 0)
			FIELD("sampling", "off");
		else if (v->snap.sample_bytes == 1)
			FIELD("sampling", "every alloc");
		else {
			draw_bytes(b, sizeof b, (double)v->snap.sample_bytes);
			FIELD("sampling", "1/%s", b);
		}
		FIELD("segment", "%s%s", snap_state_name(v->snap.state),
		      v->snap.stale ? " (stale)" : "");
		draw_bytes(b, sizeof b, (double)(v->snap.segment_bytes +
						 v->snap.private_bytes));
		FIELD("shim mem", "%s", b);
	} else {
		FIELD("segment", "none");
	}
#undef FIELD
	return n;
}

static int header_height(const struct ui *u, int w)
{
	char buf[HEADER_FIELDS / 2][FIELD_MAX];
	const char *f[HEADER_FIELDS];
	int n = header_fields(u, buf, f);
	int h = 2 + flow_fields(NULL, 0, w, f, n);

	return u->model->view.gone ? h + 1 : h;
}

static void draw_title(struct ui *u, WINDOW *win, int w)
{
	int x = 0;
	char tick[32];

	draw_fill(win, 0, 0, w, draw_attr(DRAW_TITLE));
	x += draw_text(win, 0, x, w - x, draw_attr(DRAW_TITLE) | A_BOLD,
		       " alloctop ");
	for (int s = 0; s < UI_SCREEN_COUNT; s++) {
		bool on = (int)u->screen == s;

		if (s == UI_SCREEN_HELP && !on)
			continue;
		x += draw_fmt(win, 0, x, w - x,
			      draw_attr(on ? DRAW_TAB_ACTIVE : DRAW_TAB),
			      on ? "[%s]" : " %s ", screens[s]->name);
	}
	snprintf(tick, sizeof tick, "tick %gs ", u->model->tick_s);
	if (u->paused) {
		draw_text(win, 0, w - (int)strlen(tick) - 9, 8,
			  draw_attr(DRAW_PAUSED), " PAUSED ");
	}
	draw_text(win, 0, w - (int)strlen(tick), (int)strlen(tick),
		  draw_attr(DRAW_TITLE), tick);
}

static void draw_head(struct ui *u, WINDOW *win, int w)
{
	const struct target_view *v = &u->model->view;
	char buf[HEADER_FIELDS / 2][FIELD_MAX];
	const char *f[HEADER_FIELDS];
	char up[32] = "";
	int n = header_fields(u, buf, f);
	int x = 0;
	int lines;

	draw_title(u, win, w);
	if (u->have_proc) {
		double start = (double)u->proc.start_ticks /
			       (double)proc_ticks_per_s();

		fmt_duration(up + 3, sizeof up - 3, proc_uptime_s() - start);
		memcpy(up, "up ", 3);
	}
	x += draw_fmt(win, 1, x, w, draw_attr(DRAW_VALUE), "pid %d",
		      (int)v->pid);
	x += 2;
	draw_text(win, 1, x, w - x - (int)strlen(up) - 2,
		  draw_attr(DRAW_NORMAL), u->cmdline);
	if (!v->gone)
		draw_text(win, 1, w - (int)strlen(up), (int)strlen(up),
			  draw_attr(DRAW_LABEL), up);
	lines = flow_fields(win, 2, w, f, n);
	if (v->gone) {
		int y = 2 + lines;

		draw_fill(win, y, 0, w, draw_attr(DRAW_BANNER));
		if (v->exit_status >= 0)
			draw_fmt(win, y, 1, w - 1, draw_attr(DRAW_BANNER),
				 "exited (status %d): the last state stays "
				 "on screen; q quits", v->exit_status);
		else
			draw_text(win, y, 1, w - 1, draw_attr(DRAW_BANNER),
				  "exited: the last state stays on screen; "
				  "q quits");
	}
}

/* Which bindings the current screen takes (keymap.h). */
static enum keymap_scope key_scope(const struct ui *u)
{
	if (u->panel[u->screen] == NULL)
		return KEYMAP_GLOBAL;
	return u->screen == UI_SCREEN_HOTSPOTS ? KEYMAP_HOTSPOTS :
	       KEYMAP_TABLE;
}

static void draw_foot(struct ui *u, WINDOW *win, int w)
{
	const char *label = u->prompt == UI_PROMPT_DELAY ?
			    "Tick length in seconds: " : "Filter: ";

	if (u->prompt != UI_PROMPT_NONE) {
		int x = draw_text(win, 0, 0, w, draw_attr(DRAW_VALUE), label);

		x += draw_text(win, 0, x, w - x, draw_attr(DRAW_NORMAL),
			       u->input);
		draw_text(win, 0, x, 1, draw_attr(DRAW_SELECTED), " ");
		draw_text(win, 0, x + 2, w - x - 2, draw_attr(DRAW_DIM),
			  "(Enter: done, Esc: cancel)");
	} else if (u->status[0] != '\0' &&
		   now_s() - u->status_s < STATUS_S) {
		draw_text(win, 0, 0, w, draw_attr(DRAW_STATUS), u->status);
	} else if (u->log_path != NULL) {
		draw_fmt(win, 0, 0, w, draw_attr(DRAW_DIM),
			 "command output: %s (l shows it)", u->log_path);
	}
	keymap_draw_bar(win, 1, key_scope(u));
}

static void draw(struct ui *u, struct layout *l)
{
	const struct screen *s = screens[u->screen];
	struct panel *p = u->panel[u->screen];
	int body_h;
	int log_h = 0;

	if (layout_make(l, header_height(u, COLS)) != 0)
		return;
	body_h = getmaxy(l->body);
	werase(l->head);
	werase(l->body);
	werase(l->foot);
	if (p != NULL && s->update != NULL)
		s->update(u, p);
	if (u->show_log && u->log_path != NULL) {
		log_h = body_h / 3 > 4 ? body_h / 3 : 4;
		if (log_h > body_h)
			log_h = body_h;
	}
	draw_head(u, l->head, l->cols);
	s->draw(u, p, l->body, body_h - log_h, l->cols);
	if (log_h > 0)
		screen_log_draw(u, l->body, body_h - log_h, log_h, l->cols);
	draw_foot(u, l->foot, l->cols);
	wnoutrefresh(l->head);
	wnoutrefresh(l->body);
	wnoutrefresh(l->foot);
	doupdate();
}

/* ---- keys -------------------------------------------------------------- */

static int commit_delay(struct ui *u)
{
	char *end;
	double s = strtod(u->input, &end);

	if (end == u->input || *end != '\0' || !(s >= 0.05 && s <= 3600)) {
		set_status(u, "not a tick length "
			 "between 0.05 and 3600 seconds: '%s'", u->input);
		return UI_REDRAW;
	}
	u->model->tick_s = s;
	set_status(u, "tick length now %g s", s);
	return UI_REDRAW | UI_TICK;
}

/* A key while a prompt is open: line editing, Enter, Esc. */
static int prompt_key(struct ui *u, int ch)
{
	struct panel *p = u->panel[u->screen];
	size_t len = strlen(u->input);
	int flags = UI_REDRAW;

	if (ch == '\n' || ch == '\r' || ch == KEY_ENTER) {
		if (u->prompt == UI_PROMPT_DELAY)
			flags = commit_delay(u);
		u->prompt = UI_PROMPT_NONE;
		return flags;
	}
	if (ch == KEY_ESC) {
		if (u->prompt == UI_PROMPT_FILTER && p != NULL)
			panel_set_filter(p, "");
		u->prompt = UI_PROMPT_NONE;
		return flags;
	}
	if (ch == KEY_BACKSPACE || ch == 127 || ch == 8) {
		if (len > 0)
			u->input[len - 1] = '\0';
	} else if (ch >= 0x20 && ch < 0x7f && len + 1 < sizeof u->input) {
		u->input[len] = (char)ch;
		u->input[len + 1] = '\0';
	} else {
		return UI_OK;
	}
	if (u->prompt == UI_PROMPT_FILTER && p != NULL)
		panel_set_filter(p, u->input);	/* filters as you type */
	return flags;
}

static void switch_screen(struct ui *u, int dir)
{
	int n = UI_SCREEN_HELP;		/* the Tab cycle leaves help out */
	int s = u->screen == UI_SCREEN_HELP ? (int)u->back : (int)u->screen;

	u->screen = (enum ui_screen)((s + dir + n) % n);
}

static int action(struct ui *u, enum keymap_action a)
{
	struct panel *p = u->panel[u->screen];

	switch (a) {
	case KEYMAP_QUIT:
		return UI_QUIT;
	case KEYMAP_HELP:
		if (u->screen == UI_SCREEN_HELP) {
			u->screen = u->back;
		} else {
			u->back = u->screen;
			u->screen = UI_SCREEN_HELP;
		}
		return UI_REDRAW;
	case KEYMAP_NEXT_SCREEN:
	case KEYMAP_PREV_SCREEN:
		switch_screen(u, a == KEYMAP_NEXT_SCREEN ? 1 : -1);
		return UI_REDRAW;
	case KEYMAP_PAUSE:
		u->paused = !u->paused;
		u->model->paused = u->paused;
		return u->paused ? UI_REDRAW : UI_REDRAW | UI_TICK;
	case KEYMAP_DELAY:
		u->prompt = UI_PROMPT_DELAY;
		snprintf(u->input, sizeof u->input, "%g", u->model->tick_s);
		return UI_REDRAW;
	case KEYMAP_RESET:
		model_reset(u->model);
		set_status(u, "baseline reset: history starts again");
		return UI_REDRAW;
	case KEYMAP_LOG:
		if (u->log_path == NULL)
			set_status(u, "no log: "
				 "alloctop attached to a running process, "
				 "whose output goes where it always did");
		else
			u->show_log = !u->show_log;
		return UI_REDRAW;
	case KEYMAP_REDRAW:
		return UI_REDRAW | UI_CLEAR;
	case KEYMAP_FILTER:
		if (p == NULL || panel_in_detail(p))
			return UI_OK;
		u->prompt = UI_PROMPT_FILTER;
		snprintf(u->input, sizeof u->input, "%s", panel_filter(p));
		return UI_REDRAW;
	case KEYMAP_BACK:
		if (u->screen == UI_SCREEN_HELP && !panel_in_detail(p) &&
		    panel_filter(p)[0] == '\0') {
			u->screen = u->back;
			return UI_REDRAW;
		}
		return p != NULL ? panel_key(p, a) : UI_OK;
	default:
		if (p == NULL)
			return UI_OK;
		if (screens[u->screen]->key != NULL) {
			int flags = screens[u->screen]->key(u, p, a);

			if (flags != UI_OK)
				return flags;
		}
		return panel_key(p, a);
	}
}

static int key(struct ui *u, int ch)
{
	if (ch == KEY_RESIZE)
		return UI_REDRAW;
	if (u->prompt != UI_PROMPT_NONE)
		return prompt_key(u, ch);
	u->status[0] = '\0';		/* a key read the message */
	return action(u, keymap_lookup(ch, key_scope(u)));
}

/* ---- the loop ---------------------------------------------------------- */

static void loop(struct ui *u, struct layout *l)
{
	double next = now_s();
	bool dirty = true;

	for (;;) {
		double now = now_s();
		int wait_ms;
		int flags;
		int ch;

		if (!u->paused && !u->model->view.gone && now >= next) {
			tick(u);
			/* Catch up from a stall without a burst of ticks. */
			next += u->model->tick_s;
			if (next < now)
				next = now + u->model->tick_s;
			dirty = true;
		}
		if (dirty)
			draw(u, l);
		dirty = false;
		if (target_interrupted())
			return;
		wait_ms = (int)((next - now_s()) * 1000);
		if (u->paused || u->model->view.gone || wait_ms > MAX_WAIT_MS)
			wait_ms = MAX_WAIT_MS;
		if (wait_ms < 0)
			wait_ms = 0;
		if (l->foot == NULL)
			return;		/* no windows: nothing to draw on */
		wtimeout(l->foot, wait_ms);
		ch = wgetch(l->foot);
		if (ch == ERR)
			continue;
		flags = key(u, ch);
		if (flags & UI_QUIT)
			return;
		if (flags & UI_CLEAR)
			clearok(curscr, TRUE);
		if (flags & UI_TICK)
			next = now_s();
		if (flags & (UI_REDRAW | UI_CLEAR))
			dirty = true;
	}
}

/* A launched command still running when the user quits gets SIGTERM, as
 * in batch mode, then SIGKILL if it lingers; either way it is reaped. */
static void end_child(struct ui *u)
{
	const struct target_view *v = target_view(u->target);
	char why[512];

	if (!v->launched || v->gone)
		return;
	target_signal(u->target, SIGTERM);
	for (int ms = 0; ms < TERM_GRACE_MS && !v->gone; ms += 10) {
		struct timespec ts = { 0, 10000000L };

		nanosleep(&ts, NULL);
		if (target_update(u->target, why, sizeof why) != 0)
			break;
	}
	if (!v->gone) {
		target_signal(u->target, SIGKILL);
		target_wait_exit(u->target);
		(void)target_update(u->target, why, sizeof why);
	}
}

static bool want_ascii(const struct ui_opts *o)
{
	const char *cs = nl_langinfo(CODESET);

	return o->ascii || cs == NULL || strcmp(cs, "UTF-8") != 0;
}

static bool want_color(const struct ui_opts *o)
{
	const char *nc = getenv("NO_COLOR");

	/* no-color.org: set and not empty means no colour. */
	return !o->no_color && (nc == NULL || nc[0] == '\0');
}

int ui_run(struct target *t, const struct ui_opts *o)
{
	struct sigaction old[N_FATAL + 1];	/* + SIGHUP */
	struct layout l = { 0 };
	struct ui *u;
	SCREEN *scr;
	int rc = 1;

	u = calloc(1, sizeof *u);
	if (u != NULL)
		u->model = calloc(1, sizeof *u->model);
	if (u == NULL || u->model == NULL) {
		fprintf(stderr, "alloctop: %s\n", strerror(ENOMEM));
		goto out_free;
	}
	u->target = t;
	u->log_path = o->log_path;
	if (o->warn_share > 0 && o->crit_share >= o->warn_share) {
		screen_hotspot_bands.warn_live_share = o->warn_share;
		screen_hotspot_bands.crit_live_share = o->crit_share;
	}
	if (o->message != NULL) {
		/* One line: the hint, if any, follows on the status line. */
		set_status(u, "%s", o->message);
		for (char *c = u->status; *c; c++)
			if (*c == '\n')
				*c = ' ';
	}
	if (model_init(u->model, o->tick_s) != 0) {
		fprintf(stderr, "alloctop: %s\n", strerror(ENOMEM));
		goto out_free;
	}
	for (int s = 0; s < UI_SCREEN_COUNT; s++) {
		if (screens[s]->create == NULL)
			continue;
		u->panel[s] = screens[s]->create();
		if (u->panel[s] == NULL) {
			fprintf(stderr, "alloctop: %s\n", strerror(ENOMEM));
			goto out_free;
		}
	}
	setlocale(LC_ALL, "");
	catch_fatal(old);
	scr = newterm(NULL, stdout, stdin);
	if (scr == NULL) {
		restore_fatal(old);
		fprintf(stderr, "alloctop: cannot use the terminal '%s'\n"
			"hint: set TERM, or use --batch\n",
			getenv("TERM") ? getenv("TERM") : "");
		goto out_free;
	}
	curses_on = 1;
	cbreak();
	noecho();
	nonl();
	curs_set(0);
	set_escdelay(25);		/* Esc answers at once */
	draw_init(want_color(o), want_ascii(o));
	loop(u, &l);
	layout_free(&l);
	endwin();
	curses_on = 0;
	delscreen(scr);
	restore_fatal(old);
	end_child(u);
	if (o->log_path != NULL) {
		struct stat st;

		if (stat(o->log_path, &st) == 0 && st.st_size == 0)
			unlink(o->log_path);
		else
			fprintf(stderr, "alloctop: the command's output is "
				"in %s\n", o->log_path);
	}
	rc = target_view(t)->launched ? target_view(t)->exit_status : 0;
	if (rc < 0)
		rc = 1;
out_free:
	if (u != NULL) {
		for (int s = 0; s < UI_SCREEN_COUNT; s++)
			panel_free(u->panel[s]);
		if (u->model != NULL)
			model_free(u->model);
		free(u->model);
	}
	free(u);
	return rc;
}
