/* tests/unit/det_cli_driver.c - a stand-alone `alloctop detect` for tests
 * until main.c dispatches to det_cli_main. */
#include "config.h"

#include "detect_cli.h"

int main(int argc, char **argv)
{
	return det_cli_main(argc, argv);
}
