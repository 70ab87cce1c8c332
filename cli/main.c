/* main.c -- modu-arena: track AI coding sessions for the leaderboard */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "util.h"

#include <config.h>

static const struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} commands[] = {
	{ "login", cmd_login, "sign in through the browser, then set up as install does" },
	{ "install", cmd_install, "check the API key, save it, register the Claude Code hooks" },
	{ "uninstall", cmd_uninstall, "remove the hooks and the client's files" },
	{ "sync", cmd_sync, "read the local logs and upload new or changed sessions" },
	{ "status", cmd_status, "configuration, server, hooks, queue, last sync" },
	{ "rank", cmd_rank, "your rankings and totals" },
	{ "verify", cmd_verify, "check the API key with the server" },
	{ "submit", cmd_submit, "send this project (name, README, file counts) for evaluation" },
	{ "evaluations", cmd_evaluations, "your evaluations and their results" },
	{ "hook", cmd_hook, "run by Claude Code's hooks (reads JSON on stdin)" },
};

static void usage(FILE *f)
{
	size_t i;

	fputs("usage: modu-arena COMMAND [OPTIONS]\n\ncommands:\n", f);
	for (i = 0; i < sizeof(commands) / sizeof(*commands); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].help);
	fputs("\nmodu-arena COMMAND --help shows a command's options; see modu-arena(1).\n", f);
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("modu-arena %s\n", PACKAGE_VERSION);
		return EXIT_OK;
	}
	for (i = 0; i < sizeof(commands) / sizeof(*commands); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].fn(argc - 1, argv + 1);
	error("unknown command '%s' (see 'modu-arena --help')", argv[1]);
	return EXIT_USAGE;
}
