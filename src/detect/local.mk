# src/detect: detectors, classifier, forecaster, advisor, alert engine
# (libdetect.a: pure C, no I/O), the offline `alloctop detect` CLI, and their
# unit tests.  Included by the top Makefile.am.

noinst_LIBRARIES += src/detect/libdetect.a
src_detect_libdetect_a_SOURCES = \
	src/detect/stats.c src/detect/stats.h \
	src/detect/change.c src/detect/change.h \
	src/detect/anomaly.c src/detect/anomaly.h \
	src/detect/trend.c src/detect/trend.h \
	src/detect/period.c src/detect/period.h \
	src/detect/tick.c src/detect/tick.h \
	src/detect/classify.c src/detect/classify.h \
	src/detect/advise.c src/detect/advise.h \
	src/detect/engine.c src/detect/engine.h \
	src/detect/alert.c src/detect/alert.h \
	src/detect/sitetrend.c src/detect/sitetrend.h

# The offline CLI (`alloctop detect`): the one piece that does stdio, so it
# lives outside libdetect.a.  main.c links src/libdetect_cli.a before
# src/detect/libdetect.a and calls det_cli_main.
noinst_LIBRARIES += src/libdetect_cli.a
src_libdetect_cli_a_SOURCES = src/detect_cli.c src/detect_cli.h

# Unit tests: one program per detector module, linked with libdetect.a.
DET_TEST_LDADD = src/detect/libdetect.a
DET_TESTS = \
	tests/unit/test_det_stats \
	tests/unit/test_det_change \
	tests/unit/test_det_anomaly \
	tests/unit/test_det_trend \
	tests/unit/test_det_period \
	tests/unit/test_det_classify \
	tests/unit/test_det_advise \
	tests/unit/test_det_engine \
	tests/unit/test_det_alert \
	tests/unit/test_det_sitetrend \
	tests/unit/test_det_cli

check_PROGRAMS += $(DET_TESTS)
TESTS += $(DET_TESTS)
EXTRA_DIST += tests/unit/check.h tests/unit/test_det_synth.c \
	tests/data/detect/gen.py tests/data/detect/step.csv \
	tests/data/detect/spikes.csv tests/data/detect/leak.csv \
	tests/data/detect/ticks.csv tests/data/detect/bad_fields.csv \
	tests/data/detect/bad_number.csv tests/data/detect/bad_header.csv

# A stand-alone `alloctop detect` for trying the CLI by hand.
check_PROGRAMS += tests/unit/det_cli_driver
tests_unit_det_cli_driver_SOURCES = tests/unit/det_cli_driver.c
tests_unit_det_cli_driver_LDADD = src/libdetect_cli.a $(DET_TEST_LDADD)

tests_unit_test_det_stats_SOURCES = tests/unit/test_det_stats.c
tests_unit_test_det_stats_LDADD = $(DET_TEST_LDADD)

tests_unit_test_det_change_SOURCES = tests/unit/test_det_change.c
tests_unit_test_det_change_LDADD = $(DET_TEST_LDADD)

tests_unit_test_det_anomaly_SOURCES = tests/unit/test_det_anomaly.c
tests_unit_test_det_anomaly_LDADD = $(DET_TEST_LDADD)

tests_unit_test_det_trend_SOURCES = tests/unit/test_det_trend.c
tests_unit_test_det_trend_LDADD = $(DET_TEST_LDADD)

tests_unit_test_det_period_SOURCES = tests/unit/test_det_period.c
tests_unit_test_det_period_LDADD = $(DET_TEST_LDADD)

tests_unit_test_det_classify_SOURCES = tests/unit/test_det_classify.c
tests_unit_test_det_classify_LDADD = $(DET_TEST_LDADD)

tests_unit_test_det_advise_SOURCES = tests/unit/test_det_advise.c
tests_unit_test_det_advise_LDADD = $(DET_TEST_LDADD)

tests_unit_test_det_engine_SOURCES = tests/unit/test_det_engine.c
tests_unit_test_det_engine_LDADD = $(DET_TEST_LDADD)

tests_unit_test_det_alert_SOURCES = tests/unit/test_det_alert.c
tests_unit_test_det_alert_LDADD = $(DET_TEST_LDADD)

tests_unit_test_det_sitetrend_SOURCES = tests/unit/test_det_sitetrend.c
tests_unit_test_det_sitetrend_LDADD = $(DET_TEST_LDADD)

tests_unit_test_det_cli_SOURCES = tests/unit/test_det_cli.c
tests_unit_test_det_cli_CPPFLAGS = $(AM_CPPFLAGS) \
	-DDET_TESTDATA='"$(abs_top_srcdir)/tests/data/detect"'
tests_unit_test_det_cli_LDADD = src/libdetect_cli.a $(DET_TEST_LDADD)
