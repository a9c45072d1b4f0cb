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
# TODO(integrator): PKG_CHECK_MODULES([YAML], [yaml-0.1]) in configure.ac
# (Debian package libyaml-dev), then use $(YAML_LIBS) instead of -lyaml.
CFG_LIBS = $(CYAML_LIBS) -lyaml

# The default configuration: every key, at its default, commented.
alloctopconfdir = $(sysconfdir)/alloctop
dist_alloctopconf_DATA = config/alloctop.yaml
dist_man_MANS += man/alloctop.yaml.5

check_PROGRAMS += tests/unit/test_config
tests_unit_test_config_SOURCES = tests/unit/test_config.c \
	tests/unit/check_config.h
tests_unit_test_config_CFLAGS = $(AM_CFLAGS) $(SAN_CFLAGS)
tests_unit_test_config_LDFLAGS = $(SAN_CFLAGS)
tests_unit_test_config_LDADD = src/libconfig.a $(CFG_LIBS)
TESTS += tests/unit/test_config tests/config/check_config.sh
dist_check_SCRIPTS += tests/config/check_config.sh
