/*
 * cmd.h -- the commands of modu-arena(1)
 *
 * Each takes the arguments after the command name (argv[0] is the
 * command) and returns the process exit code (util.h).
 */
#ifndef CLI_CMD_H
#define CLI_CMD_H

int cmd_install(int argc, char **argv);
int cmd_login(int argc, char **argv);
int cmd_uninstall(int argc, char **argv);
int cmd_hook(int argc, char **argv);
int cmd_sync(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_rank(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_submit(int argc, char **argv);
int cmd_evaluations(int argc, char **argv);

/* Where sync keeps its files (malloc'd). */
char *state_file_path(const char *name);

#endif
