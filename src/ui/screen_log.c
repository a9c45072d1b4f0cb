/* src/ui/screen_log.c - the log pane: the tail of the launched command's
 * stdout and stderr, which go to a file while the TUI owns the terminal.
 * Reads at most LOG_TAIL bytes per draw, however large the log grows. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ui/screen.h"

#define LOG_TAIL 16384			/* a screenful of long lines */

void screen_log_draw(const struct ui *u, WINDOW *win, int y, int h, int w)
{
	static char buf[LOG_TAIL + 1];
	const char *lines[256];
	int nlines = 0;
	struct stat st;
	ssize_t n = 0;
	int fd;

	if (h < 2)
		return;
	draw_fill(win, y, 0, w, draw_attr(DRAW_TABLE_HEAD));
	draw_fmt(win, y, 0, w, draw_attr(DRAW_TABLE_HEAD),
		 "Log: %s (l: hide)", u->log_path);
	fd = open(u->log_path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		draw_fmt(win, y + 1, 1, w - 1, draw_attr(DRAW_STATUS),
			 "cannot read the log: %s", strerror(errno));
		return;
	}
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		off_t off = st.st_size > LOG_TAIL ? st.st_size - LOG_TAIL : 0;

		n = pread(fd, buf, LOG_TAIL, off);
	}
	close(fd);
	if (n <= 0) {
		draw_text(win, y + 1, 1, w - 1, draw_attr(DRAW_DIM),
			  "(no output yet)");
		return;
	}
	buf[n] = '\0';
	/* Split into lines, keeping the newest that fit; tabs become
	 * spaces, other control bytes are shown as '?' by draw_text. */
	for (char *p = buf, *nl; *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		if (nlines == (int)(sizeof lines / sizeof lines[0])) {
			memmove(lines, lines + 1,
				sizeof lines - sizeof lines[0]);
			nlines--;
		}
		lines[nlines++] = p;
		if (nl == NULL)
			break;
		*nl = '\0';
	}
	for (char *p = buf; p < buf + n; p++)
		if (*p == '\t' || *p == '\r')
			*p = ' ';
	if (nlines > 0 && lines[nlines - 1][0] == '\0')
		nlines--;		/* the final newline */
	for (int i = 0; i < h - 1 && i < nlines; i++) {
		int first = nlines > h - 1 ? nlines - (h - 1) : 0;

		draw_text(win, y + 1 + i, 0, w, draw_attr(DRAW_NORMAL),
			  lines[first + i]);
	}
}
