/* tests/unit/test_reader.c - the segment reader against good, truncated,
 * corrupted and hostile segment files.  Every failure must be a clean
 * error: no crash, no hang, no use of bytes that failed validation. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "collect/reader.h"

static char dir[] = "/tmp/alloctop-test-reader.XXXXXX";
static char path[256];
static struct seg_layout L;

/* A valid image: two active slots and a retired block. */
static unsigned char *make_image(void)
{
	unsigned char *img = calloc(1, L.size);
	struct seg_header *h = (struct seg_header *)img;
	struct seg_slot *slots = (struct seg_slot *)(img + L.slots_off);
	struct seg_counters *ret = (struct seg_counters *)(img + L.retired_off);

	h->magic = SEG_MAGIC;
	h->abi_version = SEG_ABI_VERSION;
	h->header_size = sizeof *h;
	h->segment_size = L.size;
	h->pid = 4242;
	h->state = SEG_STATE_RUNNING;
	memcpy(h->comm, "prog\x1b[2J", 9);	/* control bytes get masked */
	h->slots_off = L.slots_off;
	h->slot_count = SEG_MAX_SLOTS;
	h->slot_size = sizeof(struct seg_slot);
	h->retired_off = L.retired_off;
	h->sites_off = L.sites_off;
	h->site_count = SEG_MAX_SITES;
	h->site_size = sizeof(struct seg_site);
	h->modules_off = L.modules_off;
	h->module_count = SEG_MAX_MODULES;
	h->module_size = sizeof(struct seg_module);
	h->threads_live = 2;
	h->threads_total = 3;
	slots[0].state = SEG_SLOT_ACTIVE;
	slots[0].c.alloc_spans = 1000 + 10 * SEG_SPAN_EXTRA;
	slots[0].c.fn[SEG_FN_MALLOC].calls = 10;
	slots[0].c.fn[SEG_FN_MALLOC].bytes = 900;
	slots[7].state = SEG_SLOT_ACTIVE;
	slots[7].c.alloc_spans = 500 + 5 * SEG_SPAN_EXTRA;
	slots[7].c.free_spans = 300 + 3 * SEG_SPAN_EXTRA;
	slots[7].c.fn[SEG_FN_CALLOC].calls = 5;
	slots[7].c.fn[SEG_FN_FREE].calls = 3;
	/* A free slot's leftovers must not count. */
	slots[9].c.fn[SEG_FN_MALLOC].calls = 99999;
	ret->alloc_spans = 100 + 1 * SEG_SPAN_EXTRA;
	ret->fn[SEG_FN_MALLOC].calls = 1;
	return img;
}

static void write_file(const unsigned char *img, size_t len, mode_t mode)
{
	int fd;

	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, mode);
	if (fd < 0 || fchmod(fd, mode) != 0 ||
	    (len && write(fd, img, len) != (ssize_t)len)) {
		perror(path);
		exit(99);
	}
	close(fd);
}

/* Opens and snapshots path; returns 0 or the negative errno of the first
 * step that failed. */
static int try_read(struct snapshot *s)
{
	char why[256];
	struct reader *r = reader_open_path(path, 0, why, sizeof why);
	int err;

	if (r == NULL)
		return -errno;
	err = reader_snapshot(r, s);
	reader_close(r);
	return err;
}

static void test_valid(void)
{
	unsigned char *img = make_image();
	struct snapshot s;

	write_file(img, L.size, 0600);
	CHECK(try_read(&s) == 0);
	CHECK(s.pid == 4242);
	CHECK(s.slots_active == 2);
	CHECK(s.total.alloc_blocks == 16);
	CHECK(s.total.alloc_bytes == 1600);
	CHECK(snap_live_bytes(&s) == 1300);
	CHECK(snap_live_blocks(&s) == 13);
	CHECK(snap_alloc_calls(&s) == 16);
	CHECK(snap_requested_bytes(&s) == 900);
	CHECK(s.threads_total == 3);
	CHECK(strcmp(s.comm, "prog?[2J") == 0);
	CHECK(!s.stale);
	free(img);
}

static void test_truncations(void)
{
	unsigned char *img = make_image();
	struct snapshot s;
	unsigned failures = 0;
	unsigned tries = 0;

	/* An empty file is a segment still being created: try again. */
	write_file(img, 0, 0600);
	CHECK(try_read(&s) == -EAGAIN);
	for (uint64_t len = 1; len < L.size; len += len < 4096 ? 1 : 4093) {
		write_file(img, len, 0600);
		tries++;
		if (try_read(&s) == -EPROTO)
			failures++;
	}
	CHECK_MSG(failures == tries, "%u of %u truncations rejected", failures,
		  tries);
	free(img);
}

static void expect_header_error(const char *what, void (*spoil)(struct
	seg_header *), int err)
{
	unsigned char *img = make_image();
	struct snapshot s;
	int got;

	spoil((struct seg_header *)img);
	write_file(img, L.size, 0600);
	got = try_read(&s);
	CHECK_MSG(got == err, "%s: got %d, want %d", what, got, err);
	free(img);
}

static void bad_magic(struct seg_header *h) { h->magic ^= 1; }
static void bad_version(struct seg_header *h) { h->abi_version = 99; }
static void bad_size(struct seg_header *h) { h->segment_size += 4096; }
static void bad_slots_off(struct seg_header *h) { h->slots_off = UINT64_MAX - 8; }
static void bad_sites_off(struct seg_header *h) { h->sites_off = h->segment_size; }
static void bad_slot_count(struct seg_header *h) { h->slot_count = 1u << 31; }
static void bad_site_size(struct seg_header *h) { h->site_size = 1; }
static void bad_state(struct seg_header *h) { h->state = 77; }
static void bad_pid(struct seg_header *h) { h->pid = -1; }
static void misaligned(struct seg_header *h) { h->retired_off += 3; }

static void test_header_errors(void)
{
	expect_header_error("magic", bad_magic, -EPROTO);
	expect_header_error("version", bad_version, -EPROTONOSUPPORT);
	expect_header_error("segment size", bad_size, -EPROTO);
	expect_header_error("slots offset", bad_slots_off, -EPROTO);
	expect_header_error("sites offset", bad_sites_off, -EPROTO);
	expect_header_error("slot count", bad_slot_count, -EPROTO);
	expect_header_error("site size", bad_site_size, -EPROTO);
	expect_header_error("state", bad_state, -EPROTO);
	expect_header_error("pid", bad_pid, -EPROTO);
	expect_header_error("misaligned", misaligned, -EPROTO);
}

static void test_bad_slot_state(void)
{
	unsigned char *img = make_image();
	struct seg_slot *slots = (struct seg_slot *)(img + L.slots_off);
	struct snapshot s;

	slots[3].state = 12345;
	write_file(img, L.size, 0600);
	CHECK(try_read(&s) == -EPROTO);
	free(img);
}

static void test_permissions(void)
{
	unsigned char *img = make_image();
	struct snapshot s;

	write_file(img, L.size, 0644);
	CHECK(try_read(&s) == -EACCES);
	free(img);
}

/* Random bytes anywhere in the header and the first slots: each read ends
 * in a clean result, never a crash. */
static void test_random_corruption(void)
{
	unsigned char *img = make_image();
	unsigned char *bad = malloc(L.size);
	struct snapshot s;
	unsigned ok = 0;
	unsigned rejected = 0;

	srand(12345);
	for (int i = 0; i < 300; i++) {
		int err;

		memcpy(bad, img, L.size);
		for (int k = 0; k < 1 + rand() % 8; k++)
			bad[(size_t)rand() % (L.slots_off + 2 * sizeof(struct
				seg_slot))] = (unsigned char)rand();
		write_file(bad, L.size, 0600);
		err = try_read(&s);
		if (err == 0)
			ok++;
		else if (err == -EPROTO || err == -EPROTONOSUPPORT ||
			 err == -EAGAIN)
			rejected++;
	}
	CHECK_MSG(ok + rejected == 300, "%u ok, %u rejected", ok, rejected);
	CHECK(rejected > 0);
	free(img);
	free(bad);
}

/* The target shrinks its file after we mapped it: SIGBUS is caught. */
static void test_shrink_after_open(void)
{
	unsigned char *img = make_image();
	struct snapshot s;
	char why[256];
	struct reader *r;

	write_file(img, L.size, 0600);
	r = reader_open_path(path, 0, why, sizeof why);
	CHECK(r != NULL);
	if (r != NULL) {
		CHECK(reader_snapshot(r, &s) == 0);
		CHECK(truncate(path, 4096) == 0);
		CHECK(reader_snapshot(r, &s) == -EPROTO);
		reader_close(r);
	}
	free(img);
}

/* A writer that died inside a slot claim leaves claim_seq odd: the reader
 * gives up after a few tries and serves the last good counts, stale. */
static void test_stuck_sequence(void)
{
	unsigned char *img = make_image();
	struct snapshot s;
	char why[256];
	struct reader *r;
	int fd;
	uint32_t odd = 1;

	write_file(img, L.size, 0600);
	r = reader_open_path(path, 0, why, sizeof why);
	CHECK(r != NULL);
	if (r == NULL)
		return;
	CHECK(reader_snapshot(r, &s) == 0 && !s.stale);
	fd = open(path, O_WRONLY);
	CHECK(pwrite(fd, &odd, sizeof odd,
		     offsetof(struct seg_header, claim_seq)) == sizeof odd);
	close(fd);
	CHECK(reader_snapshot(r, &s) == 0);
	CHECK(s.stale);
	CHECK(s.total.alloc_blocks == 16);
	reader_close(r);
	free(img);
}

int main(void)
{
	if (mkdtemp(dir) == NULL)
		return 99;
	snprintf(path, sizeof path, "%s/segment", dir);
	seg_layout_default(&L);
	test_valid();
	test_truncations();
	test_header_errors();
	test_bad_slot_state();
	test_permissions();
	test_random_corruption();
	test_shrink_after_open();
	test_stuck_sequence();
	unlink(path);
	rmdir(dir);
	return check_exit();
}
