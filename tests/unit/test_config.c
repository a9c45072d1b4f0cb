#include "config.h"
#include "cfg.h"
#include "check_config.h"
int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--check-config") == 0)
		return cfg_check_main(argc - 1, argv + 1);
	struct cfg c;
	cfg_defaults(&c);
	cfg_dump(&c, stdout, false);
	return check_exit();
}
