// tests/progs/cxx.cc - C++ new/delete reach the shim through malloc/free.
// Prints what it did, in exact.c's JSON form, for compare.py.
#include <cstdio>
#include <cstdlib>
#include <malloc.h>
#include <new>
#include <string>

struct Node {
	long v[5];		// 40 bytes
};

int main(int argc, char **argv)
{
	unsigned n = argc > 1 ? (unsigned)std::strtoul(argv[1], nullptr, 10) : 0;
	unsigned long long usable = 0;

	for (unsigned i = 0; i < n; i++) {
		Node *x = new Node();
		int *arr = new int[25];	// 100 bytes

		usable += malloc_usable_size(x) + malloc_usable_size(arr);
		delete[] arr;
		delete x;
	}
	std::printf("{\"calls\":{\"malloc\":{\"calls\":%u,\"bytes\":%u},"
		    "\"free\":{\"calls\":%u,\"bytes\":0}},"
		    "\"alloc_blocks\":%u,\"free_blocks\":%u,"
		    "\"alloc_bytes\":%llu,\"free_bytes\":%llu,\"ops\":0}\n",
		    2 * n, 140 * n, 2 * n, 2 * n, 2 * n, usable, usable);
	return 0;
}
