/* src/ui/keymap.c - the key table and what is generated from it. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ui/keymap.h"

#define CTRL(c) ((c) & 0x1f)
#define KEY_ESC 27
#define KEY_TAB '\t'

/* htop's keys where htop has one (F1/h/? help, F10/q quit, Z pause, < >
 * sort, / filter, Tab, Ctrl-L), so its users need no manual. */
const struct keymap_entry keymap_table[] = {
	{ KEY_F(1), KEYMAP_HELP, KEYMAP_GLOBAL, "Help",
	  "show this help (again, or Esc: back)" },
	{ 'h', KEYMAP_HELP, KEYMAP_GLOBAL, NULL, NULL },
	{ '?', KEYMAP_HELP, KEYMAP_GLOBAL, NULL, NULL },
	{ KEY_TAB, KEYMAP_NEXT_SCREEN, KEYMAP_GLOBAL, "Screen",
	  "next screen: Overview, Hotspots, Alerts" },
	{ KEY_BTAB, KEYMAP_PREV_SCREEN, KEYMAP_GLOBAL, NULL,
	  "previous screen" },
	{ ' ', KEYMAP_PAUSE, KEYMAP_GLOBAL, "Pause",
	  "pause or resume the display (the target runs on)" },
	{ 'Z', KEYMAP_PAUSE, KEYMAP_GLOBAL, NULL, NULL },
	{ 'd', KEYMAP_DELAY, KEYMAP_GLOBAL, "Delay",
	  "change the tick length (asks for seconds)" },
	{ 'r', KEYMAP_RESET, KEYMAP_GLOBAL, "Reset",
	  "reset the baseline: forget the history" },
	{ 'l', KEYMAP_LOG, KEYMAP_GLOBAL, "Log",
	  "show or hide the launched command's output" },
	{ CTRL('L'), KEYMAP_REDRAW, KEYMAP_GLOBAL, NULL,
	  "redraw the whole terminal" },
	{ '/', KEYMAP_FILTER, KEYMAP_TABLE, "Filter",
	  "filter the rows (Enter keeps it, Esc clears it)" },
	{ '<', KEYMAP_SORT_PREV, KEYMAP_TABLE, "Sort",
	  "sort by the column to the left" },
	{ '>', KEYMAP_SORT_NEXT, KEYMAP_TABLE, NULL,
	  "sort by the column to the right" },
	{ 'I', KEYMAP_SORT_REVERSE, KEYMAP_TABLE, NULL,
	  "invert the sort order" },
	{ KEY_UP, KEYMAP_UP, KEYMAP_TABLE, NULL, "select the row above" },
	{ 'k', KEYMAP_UP, KEYMAP_TABLE, NULL, NULL },
	{ KEY_DOWN, KEYMAP_DOWN, KEYMAP_TABLE, NULL, "select the row below" },
	{ 'j', KEYMAP_DOWN, KEYMAP_TABLE, NULL, NULL },
	{ KEY_PPAGE, KEYMAP_PAGE_UP, KEYMAP_TABLE, NULL, "one page up" },
	{ KEY_NPAGE, KEYMAP_PAGE_DOWN, KEYMAP_TABLE, NULL, "one page down" },
	{ KEY_HOME, KEYMAP_HOME, KEYMAP_TABLE, NULL, "first row" },
	{ 'g', KEYMAP_HOME, KEYMAP_TABLE, NULL, NULL },
	{ KEY_END, KEYMAP_END, KEYMAP_TABLE, NULL, "last row" },
	{ 'G', KEYMAP_END, KEYMAP_TABLE, NULL, NULL },
	{ '\n', KEYMAP_ENTER, KEYMAP_TABLE, "Open",
	  "drill down into the selected row" },
	{ '\r', KEYMAP_ENTER, KEYMAP_TABLE, NULL, NULL },
	{ KEY_ENTER, KEYMAP_ENTER, KEYMAP_TABLE, NULL, NULL },
	{ KEY_ESC, KEYMAP_BACK, KEYMAP_TABLE, NULL,
	  "back from the details, or clear the filter" },
	{ 'v', KEYMAP_VIEW, KEYMAP_HOTSPOTS, "View",
	  "next view: in-use space, in-use objects, allocated space, "
	  "allocated objects" },
	{ 'c', KEYMAP_GROUP, KEYMAP_HOTSPOTS, "Group",
	  "rows per call site, per function (flat), or per function "
	  "cumulative (every function on the stack)" },
	{ KEY_F(10), KEYMAP_QUIT, KEYMAP_GLOBAL, "Quit",
	  "quit (a launched command gets SIGTERM)" },
	{ 'q', KEYMAP_QUIT, KEYMAP_GLOBAL, NULL, NULL },
};

const size_t keymap_table_len = sizeof keymap_table / sizeof keymap_table[0];

/* Scopes nest (keymap.h): a binding applies where its scope is at most
 * the screen's. */
static bool in_scope(enum keymap_scope binding, enum keymap_scope where)
{
	return binding <= where;
}

enum keymap_action keymap_lookup(int key, enum keymap_scope where)
{
	for (size_t i = 0; i < keymap_table_len; i++) {
		const struct keymap_entry *e = &keymap_table[i];

		if (e->key == key && in_scope(e->scope, where))
			return e->action;
	}
	return KEYMAP_NONE;
}

const char *keymap_scope_name(enum keymap_scope s)
{
	return s == KEYMAP_HOTSPOTS ? "hotspots" :
	       s == KEYMAP_TABLE ? "tables" : "always";
}

const char *keymap_key_name(int key, char *out, size_t len)
{
	static const struct {
		int key;
		const char *name;
	} names[] = {
		{ KEY_TAB, "Tab" }, { KEY_BTAB, "S-Tab" }, { ' ', "Space" },
		{ KEY_UP, "Up" }, { KEY_DOWN, "Down" }, { KEY_PPAGE, "PgUp" },
		{ KEY_NPAGE, "PgDn" }, { KEY_HOME, "Home" },
		{ KEY_END, "End" }, { '\n', "Enter" }, { '\r', NULL },
		{ KEY_ENTER, NULL }, { KEY_ESC, "Esc" },
	};

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (names[i].key == key) {
			snprintf(out, len, "%s", names[i].name ?
				 names[i].name : "");
			return out;
		}
	}
	if (key >= KEY_F(1) && key <= KEY_F(12))
		snprintf(out, len, "F%d", key - KEY_F(0));
	else if (key >= 0 && key < 0x20)
		snprintf(out, len, "^%c", key + '@');
	else if (key > 0x20 && key < 0x7f)
		snprintf(out, len, "%c", key);
	else
		snprintf(out, len, "#%d", key);
	return out;
}

size_t keymap_help(struct keymap_help *out, size_t max)
{
	size_t line_of[KEYMAP_ACTION_COUNT];
	size_t n = 0;

	for (size_t a = 0; a < KEYMAP_ACTION_COUNT; a++)
		line_of[a] = SIZE_MAX;
	for (size_t i = 0; i < keymap_table_len; i++) {
		const struct keymap_entry *e = &keymap_table[i];
		char name[16];
		size_t j = line_of[e->action];
		size_t used;

		if (j == SIZE_MAX) {
			j = line_of[e->action] = n++;
			if (j < max) {
				out[j].keys[0] = '\0';
				out[j].text = e->help ? e->help : "";
				out[j].scope = e->scope;
			}
		}
		keymap_key_name(e->key, name, sizeof name);
		if (j >= max || name[0] == '\0')
			continue;
		used = strlen(out[j].keys);
		snprintf(out[j].keys + used, sizeof out[j].keys - used,
			 "%s%s", used ? " " : "", name);
	}
	return n;
}

void keymap_draw_bar(WINDOW *w, int y, enum keymap_scope where)
{
	int maxx = getmaxx(w);
	int x = 0;

	draw_fill(w, y, 0, maxx, draw_attr(DRAW_NORMAL));
	for (size_t i = 0; i < keymap_table_len && x < maxx; i++) {
		const struct keymap_entry *e = &keymap_table[i];
		char name[16];

		if (e->bar == NULL || !in_scope(e->scope, where))
			continue;
		keymap_key_name(e->key, name, sizeof name);
		if (e->action == KEYMAP_SORT_PREV)
			snprintf(name, sizeof name, "<>");
		x += draw_text(w, y, x, maxx - x, draw_attr(DRAW_BAR_KEY),
			       name);
		x += draw_text(w, y, x, maxx - x, draw_attr(DRAW_BAR_LABEL),
			       e->bar);
		x += 1;
	}
}
