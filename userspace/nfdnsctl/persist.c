// SPDX-License-Identifier: GPL-2.0
/*
 * nfdnsctl save, load: the cache across a reboot or a module reload.
 *
 * The file is text, one entry per line after a header that carries the
 * format version and the wall-clock time of saving:
 *
 *   nfdns-cache 1 SAVED_AT
 *   NAME CLASS TYPE DO FLAGS TTL REMAINING BASE64-RESPONSE
 *
 * Loading takes the time since saving off every entry: an entry whose
 * time ran out is skipped, and each record's TTL is lowered by the age of
 * the entry, so that clients see the same countdown they would have seen
 * had the cache never gone.  Static entries come back as they were.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <ldns/ldns.h>

#include "nfdnsctl.h"

#define PERSIST_MAGIC "nfdns-cache"

/* FILE, the one argument after any options (there are none but "--"). */
static const char *file_arg(struct nfdnsctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = { { NULL, 0, NULL, 0 } };
	int opt;

	while ((opt = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		nfdnsctl_bad_option(ctl, opt, argv);
		return NULL;
	}
	if (argc - optind != 1) {
		nfdnsctl_usage(ctl, argc - optind < 1 ? "%s needs a FILE" :
			       "%s takes one FILE", argv[0]);
		return NULL;
	}
	return argv[optind];
}
#define PERSIST_VERSION 1

static int64_t wall_clock(void)
{
	return (int64_t)time(NULL);
}

int64_t (*nfdnsctl_now)(void) = wall_clock;

static int write_entry(FILE *f, const struct nfdnsctl_entry *e)
{
	char name[1024], type[32], class[32];
	ldns_buffer *buf;
	ldns_rdf *rdf;
	int err = -ENOMEM;

	if (nfdnsctl_name_to_str(e->name, e->name_len, name, sizeof(name)))
		return -EPROTO;
	nfdnsctl_type_to_str(e->qtype, type, sizeof(type));
	nfdnsctl_class_to_str(e->qclass, class, sizeof(class));
	rdf = ldns_rdf_new_frm_data(LDNS_RDF_TYPE_B64, e->resp_len, e->resp);
	buf = ldns_buffer_new(4 * (size_t)e->resp_len / 3 + 8);
	if (rdf && buf && ldns_rdf2buffer_str_b64(buf, rdf) == LDNS_STATUS_OK &&
	    ldns_buffer_reserve(buf, 1)) {
		ldns_buffer_write_u8(buf, 0);
		fprintf(f, "%s %s %s %d %u %u %u %s\n", name, class, type,
			e->do_bit | e->cd << 1, e->flags, e->ttl, e->remaining,
			(char *)ldns_buffer_begin(buf));
		err = 0;
	}
	ldns_buffer_free(buf);
	ldns_rdf_deep_free(rdf);
	return err;
}

/**
 * nfdnsctl_cmd_save() - `nfdnsctl save FILE`
 * @ctl: the invocation
 * @argc: argument count
 * @argv: arguments
 *
 * The file is written beside its final name and renamed into place, so a
 * failed save leaves the previous one whole.
 *
 * Return: 0 or -errno.
 */
int nfdnsctl_cmd_save(struct nfdnsctl *ctl, int argc, char **argv)
{
	struct nfdnsctl_entries list = { 0 };
	char tmp[4096];
	const char *path;
	size_t i, saved = 0;
	FILE *f;
	int fd, err;

	path = file_arg(ctl, argc, argv);
	if (!path)
		return -EINVAL;
	err = nfdnsctl_entries_get(ctl, &list);
	if (err)
		goto out;

	if (!strcmp(path, "-")) {
		f = ctl->out;
	} else {
		snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path);
		fd = mkstemp(tmp);
		f = fd < 0 ? NULL : fdopen(fd, "w");
		if (!f) {
			err = nfdnsctl_error(ctl, -errno, "%s: %s", path,
					     strerror(errno));
			if (fd >= 0) {
				close(fd);
				unlink(tmp);
			}
			goto out;
		}
	}
	fprintf(f, "%s %d %lld\n", PERSIST_MAGIC, PERSIST_VERSION,
		(long long)nfdnsctl_now());
	for (i = 0; i < list.n && !err; i++) {
		/* A stale entry is past its time; it has nothing to bring back. */
		if (list.v[i].flags & NFDNS_ENTRY_F_STALE)
			continue;
		err = write_entry(f, &list.v[i]);
		saved++;
	}
	if (f == ctl->out) {
		if (err)
			nfdnsctl_error(ctl, err, "writing the cache: %s",
				       strerror(-err));
		goto out;
	}
	if (fflush(f) || ferror(f) || fsync(fileno(f)))
		err = err ? err : -errno;
	if (fclose(f))
		err = err ? err : -errno;
	if (!err && rename(tmp, path))
		err = -errno;
	if (err) {
		unlink(tmp);
		nfdnsctl_error(ctl, err, "%s: %s", path, strerror(-err));
		goto out;
	}
	fprintf(ctl->out, "saved %zu entr%s to %s\n", saved,
		saved == 1 ? "y" : "ies", path);
out:
	nfdnsctl_entries_free(&list);
	return err;
}

/*
 * Lower every record's TTL by @age seconds, not below zero.  Records are
 * rewritten through ldns, which also proves the saved response parses.
 */
static int age_response(const uint8_t *in, size_t in_len, uint32_t age,
			uint8_t **out, size_t *out_len)
{
	ldns_rr_list *sections[3];
	ldns_pkt *pkt = NULL;
	size_t s, i;
	int err = 0;

	if (ldns_wire2pkt(&pkt, in, in_len) != LDNS_STATUS_OK)
		return -EBADMSG;
	sections[0] = ldns_pkt_answer(pkt);
	sections[1] = ldns_pkt_authority(pkt);
	sections[2] = ldns_pkt_additional(pkt);
	for (s = 0; s < 3; s++) {
		for (i = 0; i < ldns_rr_list_rr_count(sections[s]); i++) {
			ldns_rr *rr = ldns_rr_list_rr(sections[s], i);
			uint32_t ttl = ldns_rr_ttl(rr);

			ldns_rr_set_ttl(rr, ttl > age ? ttl - age : 0);
		}
	}
	if (ldns_pkt2wire(out, pkt, out_len) != LDNS_STATUS_OK)
		err = -ENOMEM;
	ldns_pkt_free(pkt);
	return err;
}

/**
 * struct saved_entry - one line of a saved cache
 * @name: QNAME, presentation format
 * @qclass: class
 * @qtype: type
 * @qbits: asked with DO (%NFDNSCTL_Q_DO), with CD (%NFDNSCTL_Q_CD)
 * @flags: %NFDNS_ENTRY_F_* at saving
 * @ttl: TTL it was stored with
 * @remaining: seconds it had left at saving
 * @resp: the response, decoded
 * @resp_len: its length
 */
struct saved_entry {
	char name[1024];
	uint16_t qclass;
	uint16_t qtype;
	unsigned int qbits;
	uint32_t flags;
	uint32_t ttl;
	uint32_t remaining;
	uint8_t *resp;
	size_t resp_len;
};

static int parse_line(char *line, struct saved_entry *se)
{
	char class[32], type[32], *b64;
	unsigned int qbits;
	ldns_rdf *rdf = NULL;
	ldns_rr_class c;
	int n = 0;

	if (sscanf(line, "%1023s %31s %31s %u %u %u %u %n", se->name, class,
		   type, &qbits, &se->flags, &se->ttl, &se->remaining,
		   &n) != 7 || !n || qbits > (NFDNSCTL_Q_DO | NFDNSCTL_Q_CD))
		return -EINVAL;
	b64 = line + n;
	b64[strcspn(b64, " \t\r\n")] = '\0';
	if (!*b64)
		return -EINVAL;
	se->qbits = qbits;
	c = ldns_get_rr_class_by_name(class);
	if (!c || nfdnsctl_type_from_str(type, &se->qtype))
		return -EINVAL;
	se->qclass = (uint16_t)c;
	if (ldns_str2rdf_b64(&rdf, b64) != LDNS_STATUS_OK || !rdf)
		return -EINVAL;
	se->resp_len = ldns_rdf_size(rdf);
	se->resp = malloc(se->resp_len);
	if (!se->resp) {
		ldns_rdf_deep_free(rdf);
		return -ENOMEM;
	}
	memcpy(se->resp, ldns_rdf_data(rdf), se->resp_len);
	ldns_rdf_deep_free(rdf);
	return 0;
}

/* Returns 1 when the entry was put back, 0 when its time had run out. */
static int load_entry(struct nfdnsctl *ctl, const struct saved_entry *se,
		      int64_t age)
{
	uint8_t name[NFDNS_NAME_MAX], name_len, *resp = NULL;
	uint32_t ttl = se->ttl, flags = 0, elapsed;
	size_t len;
	int err;

	if (nfdnsctl_name_to_wire(se->name, name, &name_len))
		return -EBADMSG;
	if (se->flags & NFDNS_ENTRY_F_STATIC) {
		flags = NFDNS_ENTRY_F_STATIC;
		err = nfdnsctl_entry_put(ctl, name, name_len, se->qtype,
					 se->qclass, se->qbits, se->resp,
					 se->resp_len, ttl, flags);
		return err ? err : 1;
	}
	if (age < 0)
		age = 0;
	if ((se->flags & NFDNS_ENTRY_F_STALE) || age >= se->remaining)
		return 0;
	ttl = se->remaining - (uint32_t)age;
	/* Its records aged while cached before saving, and since. */
	elapsed = (se->ttl > se->remaining ? se->ttl - se->remaining : 0) +
		  (uint32_t)age;
	err = age_response(se->resp, se->resp_len, elapsed, &resp, &len);
	if (err)
		return err;
	err = nfdnsctl_entry_put(ctl, name, name_len, se->qtype, se->qclass,
				 se->qbits, resp, len, ttl, flags);
	free(resp);
	return err ? err : 1;
}

/**
 * nfdnsctl_cmd_load() - `nfdnsctl load FILE`
 * @ctl: the invocation
 * @argc: argument count
 * @argv: arguments
 *
 * Every entry is tried; one the kernel refuses is reported and the rest
 * still load.
 *
 * Return: 0, or -errno when the file is unreadable or any entry failed.
 */
int nfdnsctl_cmd_load(struct nfdnsctl *ctl, int argc, char **argv)
{
	size_t loaded = 0, expired = 0, failed = 0, cap = 0;
	long long saved_at;
	unsigned int lineno = 1;
	char *line = NULL;
	const char *path;
	int version, err, first_err = 0;
	ssize_t n;
	int64_t age;
	FILE *f;

	path = file_arg(ctl, argc, argv);
	if (!path)
		return -EINVAL;
	f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	if (!f)
		return nfdnsctl_error(ctl, -errno, "%s: %s", path,
				      strerror(errno));
	n = getline(&line, &cap, f);
	if (n < 0 || sscanf(line, PERSIST_MAGIC " %d %lld", &version,
			    &saved_at) != 2) {
		err = nfdnsctl_error(ctl, -EINVAL, "%s: not a saved nfdns cache",
				     path);
		goto out;
	}
	if (version != PERSIST_VERSION) {
		err = nfdnsctl_error(ctl, -EINVAL, "%s: format version %d, this nfdnsctl reads %d",
				     path, version, PERSIST_VERSION);
		goto out;
	}
	err = nfdnsctl_open(ctl);
	if (err)
		goto out;
	age = nfdnsctl_now() - (int64_t)saved_at;

	while ((n = getline(&line, &cap, f)) >= 0) {
		struct saved_entry se = { 0 };

		lineno++;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		err = parse_line(line, &se);
		if (err) {
			nfdnsctl_error(ctl, err, "%s:%u: not a saved entry",
				       path, lineno);
		} else {
			err = load_entry(ctl, &se, age);
			if (err == -EBADMSG)
				nfdnsctl_error(ctl, err, "%s:%u: the saved entry does not parse",
					       path, lineno);
			else if (err == -ENOMEM)
				nfdnsctl_error(ctl, err, "%s:%u: out of memory",
					       path, lineno);
		}
		free(se.resp);
		if (err == 1) {
			loaded++;
		} else if (err == 0) {
			expired++;
		} else {
			failed++;
			first_err = first_err ? first_err : err;
			/* Without permission, no other entry will do better. */
			if (err == -EPERM)
				break;
		}
	}
	err = first_err;
	fprintf(ctl->out, "loaded %zu entr%s, %zu expired since saving, %zu failed\n",
		loaded, loaded == 1 ? "y" : "ies", expired, failed);
out:
	free(line);
	if (f != stdin)
		fclose(f);
	return err;
}
