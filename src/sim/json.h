/* src/sim/json.h - a JSON writer into a caller-supplied fixed buffer.
 *
 * Fixed storage on purpose: alloctop-sim makes no malloc-family calls
 * outside its workloads, so alloctop's exact counters match the labels.
 * Commas are placed automatically: jb_key() and jb_elem() emit one unless
 * they open their container.  A value that does not fit sets overflow
 * and later output is dropped; the caller checks it once at the end.
 */
#ifndef ALLOCTOP_SIM_JSON_H
#define ALLOCTOP_SIM_JSON_H

#include <stdbool.h>
#include <stddef.h>

struct jbuf {
	char *buf;
	size_t cap;		/* bytes in buf */
	size_t len;		/* bytes written, excluding the final NUL */
	bool first;		/* the container just opened: no comma yet */
	bool overflow;		/* something did not fit */
};

void jb_init(struct jbuf *j, char *buf, size_t cap);
void jb_printf(struct jbuf *j, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Opens '{' or '[' / closes '}' or ']'. */
void jb_open(struct jbuf *j, char c);
void jb_close(struct jbuf *j, char c);
/* Starts a member ("key": ) of an object, or an element of an array. */
void jb_key(struct jbuf *j, const char *key);
void jb_elem(struct jbuf *j);
/* A string value, escaped; NULL writes null. */
void jb_str(struct jbuf *j, const char *s);

#endif
