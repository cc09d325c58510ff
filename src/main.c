/* qorgan COMMAND [options]: see src/cli/cli.h for the command table. */
#include "cli/cli.h"

int
main(int argc, char **argv)
{
	return cli_main(argc, argv);
}
