/* src/sim/opt.c - option tables: parse, defaults, help, JSON (see opt.h). */
#include "config.h"

#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sim/json.h"
#include "sim/opt.h"
#include "sim/sim.h"

/* Largest size or count accepted: leaves headroom for sums of them. */
#define OPT_MAX_SIZE 4.0e18

/* A plain decimal, digits with an optional fraction: no sign, exponent,
 * hex, "inf" or leading space, which strtod would accept. */
static bool parse_number(const char *s, double *v, const char **end)
{
	double x = 0;
	double scale = 1;
	bool digits = false;

	for (; *s >= '0' && *s <= '9'; s++, digits = true)
		x = x * 10 + (*s - '0');
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9'; s++, digits = true) {
			scale /= 10;
			x += (*s - '0') * scale;
		}
	}
	if (!digits)
		return false;
	*v = x;
	*end = s;
	return true;
}

/* K, KiB: 1024; KB: 1000; likewise M and G (dd's convention). */
static bool size_multiplier(const char *s, double *mult)
{
	static const char powers[] = "kmg";
	const char *p;
	double base;

	if (*s == '\0' || strcmp(s, "B") == 0) {
		*mult = 1;
		return true;
	}
	p = strchr(powers, *s | 0x20);
	if (p == NULL)
		return false;
	s++;
	if (*s == '\0' || strcmp(s, "iB") == 0)
		base = 1024;
	else if (strcmp(s, "B") == 0)
		base = 1000;
	else
		return false;
	*mult = pow(base, (double)(p - powers + 1));
	return true;
}

bool opt_parse_size(const char *s, uint64_t *out)
{
	const char *end;
	double v;
	double mult;

	if (!parse_number(s, &v, &end) || !size_multiplier(end, &mult))
		return false;
	v = round(v * mult);
	if (v > OPT_MAX_SIZE)
		return false;
	*out = (uint64_t)v;
	return true;
}

/* Seconds in one unit of time; "" is a second. */
static bool time_unit(const char *s, double *secs)
{
	static const struct {
		const char *name;
		double secs;
	} units[] = {
		{ "", 1 }, { "s", 1 }, { "sec", 1 }, { "ms", 1e-3 },
		{ "us", 1e-6 }, { "m", 60 }, { "min", 60 }, { "h", 3600 },
	};
	size_t i;

	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(s, units[i].name) == 0) {
			*secs = units[i].secs;
			return true;
		}
	}
	return false;
}

bool opt_parse_duration(const char *s, double *out)
{
	const char *end;
	double v;
	double unit;

	if (!parse_number(s, &v, &end) || !time_unit(end, &unit))
		return false;
	*out = v * unit;
	return true;
}

bool opt_parse_rate(const char *s, bool bytes, double *out)
{
	char amount[64];
	const char *slash = strchr(s, '/');
	size_t len = slash != NULL ? (size_t)(slash - s) : strlen(s);
	double per = 1;
	double v;

	if (len == 0 || len >= sizeof(amount))
		return false;
	memcpy(amount, s, len);
	amount[len] = '\0';
	if (slash != NULL && (slash[1] == '\0' || !time_unit(slash + 1, &per)))
		return false;
	if (bytes) {
		uint64_t n;

		if (!opt_parse_size(amount, &n))
			return false;
		v = (double)n;
	} else {
		const char *end;
		static const char mults[] = "kmg";
		const char *m;

		if (!parse_number(amount, &v, &end))
			return false;
		if (*end != '\0') {
			m = strchr(mults, *end | 0x20);
			if (m == NULL || end[1] != '\0')
				return false;
			v *= pow(1000, (double)(m - mults + 1));
		}
	}
	*out = v / per;
	return true;
}

static const char *opt_metavar(const struct opt *o)
{
	switch (o->type) {
	case OPT_FLAG:
		return "";
	case OPT_UINT:
		return "N";
	case OPT_SIZE:
		return "SIZE";
	case OPT_DURATION:
		return "DURATION";
	case OPT_RATE:
	case OPT_BYTE_RATE:
		return "RATE";
	case OPT_FRACTION:
		return "FRACTION";
	case OPT_CHOICE:
		return "CHOICE";
	case OPT_STRING:
		return o->arg != NULL ? o->arg : "VALUE";
	}
	return "VALUE";
}

static const char *opt_noun(const struct opt *o)
{
	switch (o->type) {
	case OPT_UINT:
		return "a whole number";
	case OPT_SIZE:
		return "a size";
	case OPT_DURATION:
		return "a duration";
	case OPT_RATE:
	case OPT_BYTE_RATE:
		return "a rate";
	case OPT_FRACTION:
		return "a fraction";
	default:
		return "a value";
	}
}

static bool parse_uint(const char *s, uint64_t *out)
{
	const char *end;
	double v;

	if (!parse_number(s, &v, &end) || *end != '\0' || strchr(s, '.') ||
	    v > OPT_MAX_SIZE)
		return false;
	*out = (uint64_t)v;
	return true;
}

static bool parse_fraction(const char *s, double *out)
{
	const char *end;
	double v;

	if (!parse_number(s, &v, &end))
		return false;
	if (strcmp(end, "%") == 0)
		v /= 100;
	else if (*end != '\0')
		return false;
	if (v > 1)
		return false;
	*out = v;
	return true;
}

static void choices_text(const struct opt *o, char *buf, size_t cap)
{
	size_t i;
	size_t len = 0;

	buf[0] = '\0';
	for (i = 0; o->choices[i] != NULL && len < cap; i++)
		len += (size_t)snprintf(buf + len, cap - len, "%s%s",
					i ? "|" : "", o->choices[i]);
}

/* Parses one value into base; prints the message on error. */
static int opt_set_value(const struct opt *o, void *base, const char *val,
			 const char *where)
{
	void *dst = (char *)base + o->offset;
	const char *pre = where != NULL ? where : "";
	const char *sep = where != NULL ? ": " : "";
	double num = 0;
	bool ok = false;

	switch (o->type) {
	case OPT_FLAG:
		*(bool *)dst = true;
		return 0;
	case OPT_STRING:
		*(const char **)dst = val;
		return 0;
	case OPT_CHOICE: {
		char all[128];
		int i;

		for (i = 0; o->choices[i] != NULL; i++) {
			if (strcmp(val, o->choices[i]) == 0) {
				*(int *)dst = i;
				return 0;
			}
		}
		choices_text(o, all, sizeof(all));
		sim_err("%s%s%s: not one of %s: '%s'", pre, sep, o->name, all,
			val);
		return -EINVAL;
	}
	case OPT_UINT:
	case OPT_SIZE: {
		uint64_t n = 0;

		ok = o->type == OPT_UINT ? parse_uint(val, &n) :
					   opt_parse_size(val, &n);
		if (ok)
			*(uint64_t *)dst = n;
		num = (double)n;
		break;
	}
	case OPT_DURATION:
		ok = opt_parse_duration(val, &num);
		break;
	case OPT_RATE:
	case OPT_BYTE_RATE:
		ok = opt_parse_rate(val, o->type == OPT_BYTE_RATE, &num);
		break;
	case OPT_FRACTION:
		ok = parse_fraction(val, &num);
		break;
	}
	if (!ok) {
		sim_err("%s%s%s: not %s: '%s'", pre, sep, o->name, opt_noun(o),
			val);
		return -EINVAL;
	}
	if (o->positive && num <= 0) {
		sim_err("%s%s%s: must be more than 0 (got '%s')", pre, sep,
			o->name, val);
		return -EINVAL;
	}
	if (o->max > o->min && (num < o->min || num > o->max)) {
		sim_err("%s%s%s: must be between %g and %g (got '%s')", pre,
			sep, o->name, o->min, o->max, val);
		return -EINVAL;
	}
	if (o->type != OPT_UINT && o->type != OPT_SIZE)
		*(double *)dst = num;
	return 0;
}

void opt_defaults(const struct opt_set *sets, size_t nsets)
{
	size_t i;
	const struct opt *o;

	for (i = 0; i < nsets; i++) {
		for (o = sets[i].opts; o->name != NULL; o++) {
			char *dst = (char *)sets[i].base + o->offset;
			int rc;

			switch (o->type) {
			case OPT_FLAG:
				*(bool *)dst = false;
				break;
			case OPT_STRING:
				*(const char **)dst = NULL;
				break;
			case OPT_CHOICE:
				*(int *)dst = 0;
				break;
			case OPT_UINT:
			case OPT_SIZE:
				*(uint64_t *)dst = 0;
				break;
			default:
				*(double *)dst = 0;
				break;
			}
			if (o->dflt == NULL)
				continue;
			rc = opt_set_value(o, sets[i].base, o->dflt, "default");
			assert(rc == 0);
			(void)rc;
		}
	}
}

static const struct opt *opt_find(const struct opt_set *sets, size_t nsets,
				  const char *name, size_t len, void **base)
{
	size_t i;
	const struct opt *o;

	for (i = 0; i < nsets; i++) {
		for (o = sets[i].opts; o->name != NULL; o++) {
			if (strlen(o->name) == len &&
			    strncmp(o->name, name, len) == 0) {
				*base = sets[i].base;
				return o;
			}
		}
	}
	return NULL;
}

int opt_parse(const struct opt_set *sets, size_t nsets, int argc,
	      char **argv, const char *where)
{
	const char *pre = where != NULL ? where : "";
	const char *sep = where != NULL ? ": " : "";
	int i;

	for (i = 0; i < argc; i++) {
		const char *arg = argv[i];
		const char *eq = strchr(arg, '=');
		size_t len = eq != NULL ? (size_t)(eq - arg) : strlen(arg);
		const struct opt *o;
		const char *val;
		void *base;
		int rc;

		if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0)
			return OPT_HELP;
		if (strncmp(arg, "--", 2) != 0) {
			sim_err("%s%sunexpected argument '%s'", pre, sep, arg);
			return -EINVAL;
		}
		o = opt_find(sets, nsets, arg, len, &base);
		if (o == NULL) {
			sim_err("%s%sunknown option '%.*s'", pre, sep,
				(int)len, arg);
			return -EINVAL;
		}
		if (o->type == OPT_FLAG) {
			if (eq != NULL) {
				sim_err("%s%s%s: takes no value", pre, sep,
					o->name);
				return -EINVAL;
			}
			val = "";
		} else if (eq != NULL) {
			val = eq + 1;
		} else if (i + 1 < argc) {
			val = argv[++i];
		} else {
			sim_err("%s%s%s: missing value", pre, sep, o->name);
			return -EINVAL;
		}
		rc = opt_set_value(o, base, val, where);
		if (rc != 0)
			return rc;
	}
	return 0;
}

void opt_help(const struct opt *opts)
{
	const struct opt *o;

	for (o = opts; o->name != NULL; o++) {
		char left[192];
		char all[128];
		const char *meta = opt_metavar(o);

		if (o->type == OPT_CHOICE) {
			choices_text(o, all, sizeof(all));
			meta = all;
		}
		snprintf(left, sizeof(left), "%s%s%s", o->name,
			 *meta != '\0' ? " " : "", meta);
		/* A long left column gets a line of its own. */
		if (strlen(left) > 22)
			printf("  %s\n  %-22s", left, "");
		else
			printf("  %-22s", left);
		if (o->dflt != NULL)
			printf(" %s (default %s)\n", o->help, o->dflt);
		else
			printf(" %s\n", o->help);
	}
}

void opt_json(struct jbuf *j, const struct opt *opts, const void *base)
{
	const struct opt *o;

	for (o = opts; o->name != NULL; o++) {
		const char *src = (const char *)base + o->offset;
		char key[64];
		size_t k;

		snprintf(key, sizeof(key), "%s", o->name + 2);
		for (k = 0; key[k] != '\0'; k++)
			if (key[k] == '-')
				key[k] = '_';
		jb_key(j, key);
		switch (o->type) {
		case OPT_FLAG:
			jb_printf(j, "%s",
				  *(const bool *)src ? "true" : "false");
			break;
		case OPT_STRING:
			jb_str(j, *(const char *const *)src);
			break;
		case OPT_CHOICE:
			jb_str(j, o->choices[*(const int *)src]);
			break;
		case OPT_UINT:
		case OPT_SIZE:
			jb_printf(j, "%" PRIu64, *(const uint64_t *)src);
			break;
		default:
			jb_printf(j, "%.9g", *(const double *)src);
			break;
		}
	}
}
