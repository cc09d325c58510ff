/*
 * The command line: `qorgan COMMAND [options]`.  Exit status 0 on success,
 * 1 on failure, 2 on bad usage; errors go to stderr as "qorgan: message".
 */
#ifndef QORGAN_CLI_CLI_H
#define QORGAN_CLI_CLI_H

#define CLI_OK    0
#define CLI_FAIL  1
#define CLI_USAGE 2

int cli_main(int argc, char **argv);

#endif
