# config: the configuration loader (src/config.c, src/cfg.h), the documented
# default alloctop.yaml, its man page and its tests (included by the top
# Makefile.am).

# The loader, linked into alloctop by src/local.mk as
#   alloctop_LDADD += src/libconfig.a $(CFG_LIBS)
noinst_LIBRARIES += src/libconfig.a
src_libconfig_a_SOURCES = src/config.c src/cfg.h
src_libconfig_a_CFLAGS = $(AM_CFLAGS) $(CYAML_CFLAGS) $(SAN_CFLAGS)

# config.c also calls libyaml directly (key positions, syntax errors).
# libcyaml.pc lists libyaml only as Libs.private, so name it here.
CFG_LIBS = $(CYAML_LIBS) $(YAML_LIBS)

# The default configuration: every key, at its default, commented.
alloctopconfdir = $(sysconfdir)/alloctop
dist_alloctopconf_DATA = config/alloctop.yaml
dist_man_MANS += man/alloctop.yaml.5

check_PROGRAMS += tests/unit/test_config
tests_unit_test_config_SOURCES = tests/unit/test_config.c \
	tests/unit/check.h
tests_unit_test_config_CFLAGS = $(AM_CFLAGS) $(SAN_CFLAGS)
tests_unit_test_config_LDFLAGS = $(SAN_CFLAGS)
tests_unit_test_config_LDADD = src/libconfig.a $(CFG_LIBS)
TESTS += tests/unit/test_config tests/config/check_config.sh
dist_check_SCRIPTS += tests/config/check_config.sh

# Good and bad configuration files of tests/unit/test_config.c.
EXTRA_DIST += \
	tests/data/config/bad-alias.yaml \
	tests/data/config/bad-binary.yaml \
	tests/data/config/bad-comments-only.yaml \
	tests/data/config/bad-complex-key.yaml \
	tests/data/config/bad-crit-below-default.yaml \
	tests/data/config/bad-cross-history.yaml \
	tests/data/config/bad-deep.yaml \
	tests/data/config/bad-duplicate.yaml \
	tests/data/config/bad-empty-section.yaml \
	tests/data/config/bad-empty-value.yaml \
	tests/data/config/bad-empty.yaml \
	tests/data/config/bad-fail-on.yaml \
	tests/data/config/bad-hotspot-order.yaml \
	tests/data/config/bad-huge-real.yaml \
	tests/data/config/bad-huge-size.yaml \
	tests/data/config/bad-huge.yaml \
	tests/data/config/bad-not-utf8.yaml \
	tests/data/config/bad-range-level.yaml \
	tests/data/config/bad-range-real.yaml \
	tests/data/config/bad-range.yaml \
	tests/data/config/bad-syntax-unclosed.yaml \
	tests/data/config/bad-syntax.yaml \
	tests/data/config/bad-tab.yaml \
	tests/data/config/bad-top-list.yaml \
	tests/data/config/bad-two-docs.yaml \
	tests/data/config/bad-type-fraction.yaml \
	tests/data/config/bad-type-hex.yaml \
	tests/data/config/bad-type-list.yaml \
	tests/data/config/bad-type-negative.yaml \
	tests/data/config/bad-type-section.yaml \
	tests/data/config/bad-type-trailing.yaml \
	tests/data/config/bad-type-unit.yaml \
	tests/data/config/bad-type-word.yaml \
	tests/data/config/bad-unknown-deep.yaml \
	tests/data/config/bad-unknown-key.yaml \
	tests/data/config/bad-unknown-section.yaml \
	tests/data/config/bad-warn-gt-crit.yaml \
	tests/data/config/good-flow.yaml \
	tests/data/config/good-minimal.yaml \
	tests/data/config/good-units.yaml
