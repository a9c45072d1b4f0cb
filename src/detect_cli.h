/* src/detect_cli.h - `alloctop detect`: offline detectors over a CSV file.
 * main.c dispatches to det_cli_main; tests call it directly. */
#ifndef ALLOCTOP_DETECT_CLI_H
#define ALLOCTOP_DETECT_CLI_H

/* argv[0] is the subcommand name ("detect").  Prints findings on stdout,
 * errors on stderr.  Returns the exit status: 0 done, 1 unreadable or
 * malformed input, 2 bad usage. */
int det_cli_main(int argc, char **argv);

#endif
