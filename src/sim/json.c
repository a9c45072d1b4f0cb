/* src/sim/json.c - fixed-buffer JSON writer (see json.h). */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>

#include "sim/json.h"

void jb_init(struct jbuf *j, char *buf, size_t cap)
{
	j->buf = buf;
	j->cap = cap;
	j->len = 0;
	j->first = true;
	j->overflow = false;
	if (cap > 0)
		buf[0] = '\0';
}

void jb_printf(struct jbuf *j, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (j->overflow)
		return;
	va_start(ap, fmt);
	n = vsnprintf(j->buf + j->len, j->cap - j->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= j->cap - j->len) {
		j->overflow = true;
		return;
	}
	j->len += (size_t)n;
}

void jb_open(struct jbuf *j, char c)
{
	jb_printf(j, "%c", c);
	j->first = true;
}

void jb_close(struct jbuf *j, char c)
{
	jb_printf(j, "%c", c);
	j->first = false;
}

void jb_elem(struct jbuf *j)
{
	if (!j->first)
		jb_printf(j, ",");
	j->first = false;
}

void jb_key(struct jbuf *j, const char *key)
{
	jb_elem(j);
	jb_str(j, key);
	jb_printf(j, ":");
}

void jb_str(struct jbuf *j, const char *s)
{
	if (s == NULL) {
		jb_printf(j, "null");
		return;
	}
	jb_printf(j, "\"");
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			jb_printf(j, "\\%c", c);
		else if (c < 0x20)
			jb_printf(j, "\\u%04x", c);
		else
			jb_printf(j, "%c", c);
	}
	jb_printf(j, "\"");
}
