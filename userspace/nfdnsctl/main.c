// SPDX-License-Identifier: GPL-2.0
/*
 * nfdnsctl: global options and the table of subcommands.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "nfdnsctl.h"

#define NFDNSCTL_VERSION "1.0"

static const struct nfdnsctl_cmd commands[] = {
	{ "status", "[--json]",
	  "module, resolver, cache size and key settings",
	  nfdnsctl_cmd_status },
	{ "stats", "[--json | --prometheus] [--watch SECONDS [--count N]]",
	  "every counter", nfdnsctl_cmd_stats },
	{ "dump", "[--json] [NAME]",
	  "every entry (or NAME's) with its TTL, flags and records",
	  nfdnsctl_cmd_dump },
	{ "lookup", "[--json] [--do] NAME [TYPE]",
	  "one entry (TYPE defaults to A)", nfdnsctl_cmd_lookup },
	{ "add", "NAME TYPE RDATA... [--ttl SECONDS]",
	  "a static entry: one record per RDATA argument",
	  nfdnsctl_cmd_add },
	{ "del", "NAME [TYPE] [--subtree]",
	  "delete NAME's entries (one TYPE, or all; --subtree: and below)",
	  nfdnsctl_cmd_del },
	{ "flush", "[NAME --subtree]",
	  "delete every entry, or every entry at or below NAME",
	  nfdnsctl_cmd_flush },
	{ "config", "[--json] [KEY | KEY=VALUE...]",
	  "show or change the kernel settings", nfdnsctl_cmd_config },
	{ "save", "FILE", "write the cache to FILE ('-': standard output)",
	  nfdnsctl_cmd_save },
	{ "load", "FILE",
	  "put the entries of FILE back, with the time since saving taken off",
	  nfdnsctl_cmd_load },
	{ "resolver", "[--socket PATH] SUBCOMMAND [ARGS...]",
	  "nfdnsd: status, stats, flush, flush-infra, flush-negative, dump-infra, requests, reload, log-level",
	  nfdnsctl_cmd_resolver },
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void print_help(FILE *f)
{
	size_t i;

	fprintf(f, "usage: nfdnsctl [--netns NAME] [--json] COMMAND [ARGS...]\n\n"
		   "commands:\n");
	for (i = 0; i < N_COMMANDS; i++)
		fprintf(f, "  %-7s %s\n          %s\n", commands[i].name,
			commands[i].args, commands[i].help);
	fprintf(f, "\n'nfdnsctl COMMAND --help' shows one command; "
		   "see nfdnsctl(8).\n");
}

static void print_cmd_usage(FILE *f, const struct nfdnsctl_cmd *cmd)
{
	fprintf(f, "usage: nfdnsctl %s %s\n       %s\n", cmd->name, cmd->args,
		cmd->help);
}

/**
 * nfdnsctl_usage() - report a usage error
 * @ctl: the invocation
 * @fmt: what is wrong
 *
 * Prints the message and the usage of the running subcommand.
 *
 * Return: -EINVAL; main() exits 2.
 */
int nfdnsctl_usage(struct nfdnsctl *ctl, const char *fmt, ...)
{
	va_list ap;

	fputs("nfdnsctl: ", ctl->err);
	va_start(ap, fmt);
	vfprintf(ctl->err, fmt, ap);
	va_end(ap);
	fputc('\n', ctl->err);
	if (ctl->cmd)
		print_cmd_usage(ctl->err, ctl->cmd);
	else
		fputs("usage: nfdnsctl [--netns NAME] [--json] COMMAND [ARGS...]\n"
		      "'nfdnsctl --help' lists the commands.\n", ctl->err);
	ctl->usage_error = true;
	return -EINVAL;
}

/**
 * nfdnsctl_error() - report a failure in one line
 * @ctl: the invocation
 * @err: the negative errno it returns
 * @fmt: what failed
 *
 * Return: @err.
 */
int nfdnsctl_error(struct nfdnsctl *ctl, int err, const char *fmt, ...)
{
	va_list ap;

	fputs("nfdnsctl: ", ctl->err);
	va_start(ap, fmt);
	vfprintf(ctl->err, fmt, ap);
	va_end(ap);
	fputc('\n', ctl->err);
	return err;
}

/**
 * nfdnsctl_bad_option() - report what getopt_long() refused
 * @ctl: the invocation
 * @opt: what getopt_long() returned ('?' or ':')
 * @argv: the arguments it parsed
 *
 * Subcommands parse with a leading ':' in their option string, so that a
 * missing value and an unknown option read differently.
 *
 * Return: -EINVAL; main() exits 2.
 */
int nfdnsctl_bad_option(struct nfdnsctl *ctl, int opt, char **argv)
{
	if (opt == ':')
		return nfdnsctl_usage(ctl, "option '%s' needs a value",
				      argv[optind - 1]);
	return nfdnsctl_usage(ctl, "unknown option '%s'", argv[optind - 1]);
}

/**
 * nfdnsctl_wants_help() - does the command line ask for --help?
 * @ctl: the invocation
 * @argc: argument count of the subcommand
 * @argv: its arguments
 *
 * Prints the subcommand's usage on standard output when it does.
 *
 * Return: true when the caller should stop and succeed.
 */
bool nfdnsctl_wants_help(struct nfdnsctl *ctl, int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			print_cmd_usage(ctl->out, ctl->cmd);
			return true;
		}
	}
	return false;
}

static const struct nfdnsctl_cmd *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < N_COMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

/**
 * nfdnsctl_main() - parse the global options and run one subcommand
 * @ctl: the invocation, with @out and @err set
 * @argc: argument count
 * @argv: arguments, argv[0] being the program
 *
 * Return: the exit code.
 */
int nfdnsctl_main(struct nfdnsctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "netns", required_argument, NULL, 'n' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int opt, err;

	optind = 0;
	opterr = 0;
	/* '+': stop at the subcommand, whose options are its own. */
	while ((opt = getopt_long(argc, argv, "+:n:jhV", opts, NULL)) != -1) {
		switch (opt) {
		case 'n':
			ctl->netns = optarg;
			break;
		case 'j':
			ctl->json = true;
			break;
		case 'h':
			print_help(ctl->out);
			return NFDNSCTL_EXIT_OK;
		case 'V':
			fprintf(ctl->out, "nfdnsctl %s\n", NFDNSCTL_VERSION);
			return NFDNSCTL_EXIT_OK;
		default:
			nfdnsctl_bad_option(ctl, opt, argv);
			return NFDNSCTL_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		nfdnsctl_usage(ctl, "no command given");
		return NFDNSCTL_EXIT_USAGE;
	}
	ctl->cmd = find_command(argv[optind]);
	if (!ctl->cmd) {
		nfdnsctl_usage(ctl, "unknown command '%s'", argv[optind]);
		return NFDNSCTL_EXIT_USAGE;
	}
	argc -= optind;
	argv += optind;
	if (nfdnsctl_wants_help(ctl, argc, argv))
		return NFDNSCTL_EXIT_OK;

	optind = 0;
	err = ctl->cmd->run(ctl, argc, argv);
	nfdnsctl_close(ctl);
	if (ctl->usage_error)
		return NFDNSCTL_EXIT_USAGE;
	if (fflush(ctl->out) || ferror(ctl->out)) {
		fprintf(ctl->err, "nfdnsctl: cannot write the output\n");
		return NFDNSCTL_EXIT_FAIL;
	}
	return err ? NFDNSCTL_EXIT_FAIL : NFDNSCTL_EXIT_OK;
}

#ifndef NFDNSCTL_NO_MAIN
int main(int argc, char **argv)
{
	struct nfdnsctl ctl = {
		.out = stdout,
		.err = stderr,
	};

	return nfdnsctl_main(&ctl, argc, argv);
}
#endif
