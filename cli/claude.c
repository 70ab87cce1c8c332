/* claude.c -- one line of a Claude Code transcript, reduced to numbers */
#include <string.h>

#include "claude.h"
#include "timeutil.h"

/* What one "message" object held. */
struct msg {
	int has_usage, usage_bad;
	int64_t tok[TOK_N];
	int fast, has_speed;
	struct jstr id, model, role;
	int has_id, has_model, bad;
	int content_is_string, has_text, has_result, interrupted, tool_output;
};

struct progress {
	int ok;
	int has_ts;
	int64_t ts;
	struct jstr req_id;
	int has_req, sidechain, bad;
	struct msg m;
};

static int starts(const struct jstr *s, const char *lit)
{
	size_t n = strlen(lit);

	return s->n >= n && memcmp(s->s, lit, n) == 0;
}

/* Longer than any refused field name with its quotes and spacing. */
#define NULL_SCAN_MAX 48

/* ccusage skips a whole line when one of these fields is null anywhere. */
static int has_refused_null(const char *line, size_t n)
{
	static const char *const fields[] = {
		"id", "cwd", "model", "speed", "costUSD", "version", "sessionId",
		"requestId", "isApiErrorMessage", "cache_read_input_tokens",
		"cache_creation_input_tokens",
	};
	const char *p = line, *end = line + n;

	while ((p = memmem(p, (size_t)(end - p), ":null", 5)) != NULL) {
		const char *fe = p - 1, *fs;
		size_t i;

		/* the refused names are short: look back a bounded way only,
		 * or a long string full of ":null" costs quadratic time */
		if (fe >= line && *fe != '"')
			while (fe > line && *fe != '"' && p - fe < NULL_SCAN_MAX)
				fe--;
		if (fe >= line && *fe == '"' && fe > line) {
			fs = fe - 1;
			while (fs > line && *fs != '"' && fe - fs < NULL_SCAN_MAX)
				fs--;
			if (*fs == '"')
				for (i = 0; i < sizeof(fields) / sizeof(*fields); i++)
					if ((size_t)(fe - fs - 1) == strlen(fields[i]) &&
					    memcmp(fs + 1, fields[i], (size_t)(fe - fs - 1)) == 0)
						return 1;
		}
		p += 5;
	}
	return 0;
}

/* "1.2.3..." as ccusage accepts a version: digits.digits.digit */
static int semver_prefix(const struct jstr *v)
{
	size_t i = 0, part;

	for (part = 0; part < 2; part++) {
		size_t st = i;

		while (i < v->n && v->s[i] >= '0' && v->s[i] <= '9')
			i++;
		if (i == st || i >= v->n || v->s[i] != '.')
			return 0;
		i++;
	}
	return i < v->n && v->s[i] >= '0' && v->s[i] <= '9';
}

/* An optional string typed field: string, or null (absent). */
static int opt_str(struct jcur *c, struct jstr *out, int *has, int *bad)
{
	int r;

	if (jc_null(c))
		return 0;
	r = jc_str(c, out);
	if (r == -2) {
		*bad = 1;
		return jc_skip(c);
	}
	if (r == 0)
		*has = 1;
	return r;
}

static int opt_bool(struct jcur *c, int *out, int *bad)
{
	int r;

	if (jc_null(c))
		return 0;
	r = jc_bool(c, out);
	if (r == -2) {
		*bad = 1;
		return jc_skip(c);
	}
	return r;
}

static int opt_number(struct jcur *c, int *bad)
{
	int ch = jc_peek(c);

	if (ch == 'n' || ch == '-' || (ch >= '0' && ch <= '9'))
		return jc_skip(c);
	*bad = 1;
	return jc_skip(c);
}

static int uint_field(struct jcur *c, int64_t *out, int *bad)
{
	int r = jc_uint(c, out);

	if (r == -2) {
		*bad = 1;
		return jc_skip(c);
	}
	return r;
}

static int parse_usage(struct jcur *c, struct msg *m)
{
	struct jstr k, s;
	int have_in = 0, have_out = 0, have_cc_obj = 0;
	int64_t cc_flat = 0, e5 = 0, e1 = 0;

	if (jc_obj_begin(c)) {
		m->usage_bad = 1;
		return jc_skip(c);
	}
	memset(m->tok, 0, sizeof(m->tok));
	while (jc_obj_next(c, &k) > 0) {
		if (jstr_is(&k, "input_tokens")) {
			have_in = 1;
			uint_field(c, &m->tok[TOK_IN], &m->usage_bad);
		} else if (jstr_is(&k, "output_tokens")) {
			have_out = 1;
			uint_field(c, &m->tok[TOK_OUT], &m->usage_bad);
		} else if (jstr_is(&k, "cache_creation_input_tokens")) {
			uint_field(c, &cc_flat, &m->usage_bad);
		} else if (jstr_is(&k, "cache_read_input_tokens")) {
			uint_field(c, &m->tok[TOK_CR], &m->usage_bad);
		} else if (jstr_is(&k, "speed")) {
			if (jc_null(c))
				continue;
			if (jc_str(c, &s)) {
				m->usage_bad = 1;
				jc_skip(c);
			} else if (jstr_is(&s, "fast")) {
				m->fast = m->has_speed = 1;
			} else if (jstr_is(&s, "standard")) {
				m->has_speed = 1;
			} else {
				m->usage_bad = 1;
			}
		} else if (jstr_is(&k, "cache_creation")) {
			if (jc_null(c))
				continue;
			if (jc_obj_begin(c)) {
				m->usage_bad = 1;
				jc_skip(c);
				continue;
			}
			have_cc_obj = 1;
			while (jc_obj_next(c, &s) > 0) {
				if (jstr_is(&s, "ephemeral_5m_input_tokens"))
					uint_field(c, &e5, &m->usage_bad);
				else if (jstr_is(&s, "ephemeral_1h_input_tokens"))
					uint_field(c, &e1, &m->usage_bad);
				else
					jc_skip(c);
			}
		} else {
			jc_skip(c);
		}
	}
	if (!have_in || !have_out)
		m->usage_bad = 1;
	/*
	 * the 5m/1h split, when present, is the cache-creation count; two
	 * halves whose sum passes int64 are no real count (and must not
	 * overflow)
	 */
	if (have_cc_obj && e5 > INT64_MAX - e1)
		m->usage_bad = 1;
	else
		m->tok[TOK_CC] = have_cc_obj ? e5 + e1 : cc_flat;
	m->has_usage = 1;
	return c->err ? -1 : 0;
}

static int parse_tool_block(struct jcur *c, struct cc_line *out, struct msg *m)
{
	struct jstr k, type = { 0 }, id = { 0 }, name = { 0 }, tuid = { 0 }, text = { 0 };
	int has_type = 0, has_id = 0, has_name = 0, has_tuid = 0, has_text = 0, bad = 0;

	if (jc_obj_begin(c))
		return jc_skip(c);
	while (jc_obj_next(c, &k) > 0) {
		if (jstr_is(&k, "type"))
			opt_str(c, &type, &has_type, &bad);
		else if (jstr_is(&k, "id"))
			opt_str(c, &id, &has_id, &bad);
		else if (jstr_is(&k, "name"))
			opt_str(c, &name, &has_name, &bad);
		else if (jstr_is(&k, "tool_use_id"))
			opt_str(c, &tuid, &has_tuid, &bad);
		else if (jstr_is(&k, "text"))
			opt_str(c, &text, &has_text, &bad);
		else
			jc_skip(c);
	}
	if (!has_type)
		return c->err ? -1 : 0;
	if (jstr_is(&type, "tool_use") && has_id && has_name && id.n && name.n) {
		if (out->ntools < CC_MAX_TOOLS) {
			out->tools[out->ntools].id = id;
			out->tools[out->ntools].name = name;
			out->ntools++;
		}
	} else if (jstr_is(&type, "tool_result")) {
		m->has_result = 1;
		if (has_tuid && tuid.n && out->nresults < CC_MAX_RESULTS)
			out->results[out->nresults++] = tuid;
	} else if (jstr_is(&type, "text")) {
		m->has_text = 1;
		if (has_text && starts(&text, "[Request interrupted by user"))
			m->interrupted = 1;
	}
	return c->err ? -1 : 0;
}

static int parse_message(struct jcur *c, struct cc_line *out, struct msg *m)
{
	struct jstr k;

	if (jc_obj_begin(c)) {
		m->bad = 1;
		return jc_skip(c);
	}
	while (jc_obj_next(c, &k) > 0) {
		if (jstr_is(&k, "usage")) {
			parse_usage(c, m);
		} else if (jstr_is(&k, "id")) {
			opt_str(c, &m->id, &m->has_id, &m->bad);
		} else if (jstr_is(&k, "model")) {
			opt_str(c, &m->model, &m->has_model, &m->bad);
		} else if (jstr_is(&k, "role")) {
			int has = 0, bad = 0;

			opt_str(c, &m->role, &has, &bad);
		} else if (jstr_is(&k, "content")) {
			struct jstr s = { 0 };

			/* an unterminated string leaves s untouched: never read it then */
			if (jc_peek(c) == '"' && jc_str(c, &s) == 0) {
				m->content_is_string = 1;
				m->has_text = s.n > 0;
				if (starts(&s, "<local-command-stdout>") ||
				    starts(&s, "<local-command-stderr>") ||
				    starts(&s, "<bash-stdout>") || starts(&s, "<bash-stderr>"))
					m->tool_output = 1;
				if (starts(&s, "[Request interrupted by user"))
					m->interrupted = 1;
			} else if (jc_arr_begin(c) == 0) {
				while (jc_arr_next(c) > 0)
					parse_tool_block(c, out, m);
			} else {
				jc_skip(c);
			}
		} else {
			jc_skip(c);
		}
	}
	return c->err ? -1 : 0;
}

static int parse_progress(struct jcur *c, struct cc_line *out, struct progress *pg)
{
	struct jstr k, s;

	if (jc_obj_begin(c))
		return jc_skip(c);
	while (jc_obj_next(c, &k) > 0) {
		if (!jstr_is(&k, "message") || jc_obj_begin(c)) {
			jc_skip(c);
			continue;
		}
		pg->ok = 1;
		while (jc_obj_next(c, &s) > 0) {
			if (jstr_is(&s, "timestamp")) {
				struct jstr ts;

				if (jc_str(c, &ts) == 0)
					pg->has_ts = time_parse_rfc3339(ts.s, ts.n, &pg->ts) == 0;
				else
					pg->bad = 1, jc_skip(c);
			} else if (jstr_is(&s, "requestId")) {
				opt_str(c, &pg->req_id, &pg->has_req, &pg->bad);
			} else if (jstr_is(&s, "isSidechain")) {
				opt_bool(c, &pg->sidechain, &pg->bad);
			} else if (jstr_is(&s, "costUSD")) {
				opt_number(c, &pg->bad);
			} else if (jstr_is(&s, "message")) {
				parse_message(c, out, &pg->m);
			} else {
				jc_skip(c);
			}
		}
	}
	return c->err ? -1 : 0;
}

static int parse_edit_result(struct jcur *c, struct cc_line *out)
{
	struct jstr k, type = { 0 }, path = { 0 }, content = { 0 }, line;
	int has_type = 0, has_path = 0, has_content = 0, has_patch = 0, bad = 0;
	int64_t add = 0, del = 0;

	if (jc_obj_begin(c))
		return jc_skip(c);
	while (jc_obj_next(c, &k) > 0) {
		if (jstr_is(&k, "type")) {
			opt_str(c, &type, &has_type, &bad);
		} else if (jstr_is(&k, "filePath")) {
			opt_str(c, &path, &has_path, &bad);
		} else if (jstr_is(&k, "content")) {
			opt_str(c, &content, &has_content, &bad);
		} else if (jstr_is(&k, "structuredPatch") && jc_arr_begin(c) == 0) {
			has_patch = 1;
			while (jc_arr_next(c) > 0) {
				struct jstr hk;

				if (jc_obj_begin(c)) {
					jc_skip(c);
					continue;
				}
				while (jc_obj_next(c, &hk) > 0) {
					if (!jstr_is(&hk, "lines") || jc_arr_begin(c)) {
						jc_skip(c);
						continue;
					}
					while (jc_arr_next(c) > 0) {
						if (jc_str(c, &line)) {
							jc_skip(c);
							continue;
						}
						if (line.n && line.s[0] == '+')
							add++;
						else if (line.n && line.s[0] == '-')
							del++;
					}
				}
			}
		} else {
			jc_skip(c);
		}
	}
	if (c->err || !has_path || !path.n)
		return c->err ? -1 : 0;
	if (has_type && jstr_is(&type, "create")) {
		out->has_edit = 1;
		out->created = 1;
		out->added = 0;
		if (has_content && content.n) {
			out->added = (int64_t)jstr_count_newlines(&content);
			/* a last line without a newline still counts */
			if (!(content.n >= 2 && content.s[content.n - 2] == '\\' &&
			      content.s[content.n - 1] == 'n'))
				out->added++;
		}
		out->file_path = path;
	} else if (has_patch) {
		out->has_edit = 1;
		out->added = add;
		out->deleted = del;
		out->file_path = path;
	}
	return 0;
}

void cc_parse_line(const char *line, size_t n, struct cc_line *out)
{
	struct jcur c;
	struct jstr k, type = { 0 }, ts = { 0 }, version = { 0 }, req = { 0 };
	struct msg m;
	struct progress pg;
	int has_type = 0, has_ts = 0, has_version = 0, has_req = 0, has_sess = 0;
	int has_uuid = 0, bad = 0, api_err = 0, compact = 0, has_message = 0;
	int usage_marker;

	memset(out, 0, sizeof(*out));
	memset(&m, 0, sizeof(m));
	memset(&pg, 0, sizeof(pg));
	jc_init(&c, line, n);
	if (jc_obj_begin(&c))
		return;
	while (jc_obj_next(&c, &k) > 0) {
		switch (k.n ? k.s[0] : 0) {
		case 't':
			if (jstr_is(&k, "type")) {
				opt_str(&c, &type, &has_type, &bad);
				continue;
			}
			if (jstr_is(&k, "timestamp")) {
				if (jc_str(&c, &ts) == 0)
					has_ts = 1;
				else
					bad = 1, jc_skip(&c);
				continue;
			}
			if (jstr_is(&k, "toolUseResult")) {
				parse_edit_result(&c, out);
				continue;
			}
			break;
		case 's':
			if (jstr_is(&k, "sessionId")) {
				opt_str(&c, &out->session_id, &has_sess, &bad);
				continue;
			}
			break;
		case 'v':
			if (jstr_is(&k, "version")) {
				opt_str(&c, &version, &has_version, &bad);
				continue;
			}
			break;
		case 'r':
			if (jstr_is(&k, "requestId")) {
				opt_str(&c, &req, &has_req, &bad);
				continue;
			}
			break;
		case 'u':
			if (jstr_is(&k, "uuid")) {
				int b2 = 0;

				opt_str(&c, &out->uuid, &has_uuid, &b2);
				continue;
			}
			break;
		case 'i':
			if (jstr_is(&k, "isSidechain")) {
				opt_bool(&c, &out->is_sidechain, &bad);
				continue;
			}
			if (jstr_is(&k, "isMeta")) {
				int b2 = 0;

				opt_bool(&c, &out->is_meta, &b2);
				continue;
			}
			if (jstr_is(&k, "isApiErrorMessage")) {
				opt_bool(&c, &api_err, &bad);
				continue;
			}
			if (jstr_is(&k, "isCompactSummary")) {
				int b2 = 0;

				opt_bool(&c, &compact, &b2);
				continue;
			}
			break;
		case 'c':
			if (jstr_is(&k, "costUSD")) {
				opt_number(&c, &bad);
				continue;
			}
			break;
		case 'm':
			if (jstr_is(&k, "message")) {
				has_message = 1;
				parse_message(&c, out, &m);
				continue;
			}
			break;
		case 'd':
			if (jstr_is(&k, "data")) {
				parse_progress(&c, out, &pg);
				continue;
			}
			break;
		}
		jc_skip(&c);
	}
	if (jc_end(&c)) {
		/* a torn or corrupt line counts for nothing */
		memset(out, 0, sizeof(*out));
		return;
	}
	if (has_ts)
		out->has_ts = time_parse_rfc3339(ts.s, ts.n, &out->ts_ms) == 0;
	if (has_type && jstr_is(&type, "assistant"))
		out->kind = CC_ASSISTANT;
	else if (has_type && jstr_is(&type, "user"))
		out->kind = CC_USER;

	usage_marker = memmem(line, n, "\"usage\":{", 9) != NULL;
	if (usage_marker && !has_refused_null(line, n)) {
		if (out->kind == CC_ASSISTANT && has_message && m.has_usage &&
		    has_ts && !m.usage_bad) {
			/* ccusage's direct entry and its validity rules */
			if (out->has_ts && !bad && !m.bad &&
			    !(has_version && !semver_prefix(&version)) &&
			    !(has_sess && out->session_id.n == 0) &&
			    !(has_req && req.n == 0) &&
			    !(m.has_id && m.id.n == 0) &&
			    !(m.has_model && m.model.n == 0)) {
				out->usage_ok = 1;
				out->usage_ts_ms = out->ts_ms;
				out->usage_sidechain = out->is_sidechain;
				out->req_id = req;
				out->has_req_id = has_req;
				out->msg_id = m.id;
				out->has_msg_id = m.has_id;
				out->model = m.model;
				out->has_model = m.has_model;
				out->fast = m.fast;
				out->has_speed = m.has_speed;
				memcpy(out->tok, m.tok, sizeof(m.tok));
			}
		} else if (!(has_message && m.has_usage) && pg.ok && pg.has_ts && pg.m.has_usage &&
			   !pg.m.usage_bad && !pg.bad && !pg.m.bad &&
			   (pg.m.role.n == 0 || jstr_is(&pg.m.role, "assistant")) &&
			   !(pg.has_req && pg.req_id.n == 0) &&
			   !(pg.m.has_id && pg.m.id.n == 0) &&
			   !(pg.m.has_model && pg.m.model.n == 0)) {
			/* the agent-progress wrapper around a sub-agent message */
			out->usage_ok = 1;
			out->usage_ts_ms = pg.ts;
			out->usage_sidechain = pg.sidechain;
			out->req_id = pg.req_id;
			out->has_req_id = pg.has_req;
			out->msg_id = pg.m.id;
			out->has_msg_id = pg.m.has_id;
			out->model = pg.m.model;
			out->has_model = pg.m.has_model;
			out->fast = pg.m.fast;
			out->has_speed = pg.m.has_speed;
			memcpy(out->tok, pg.m.tok, sizeof(pg.m.tok));
		}
	}
	(void)api_err;
	if (out->kind == CC_USER && !out->is_meta && !out->is_sidechain && !compact &&
	    has_message && m.has_text && !m.has_result && !m.interrupted && !m.tool_output)
		out->is_prompt = 1;
	if (out->kind != CC_ASSISTANT && !pg.ok)
		out->ntools = 0;	/* tool_use blocks only come from the model */
	if (out->kind != CC_USER) {
		out->nresults = 0;
		out->has_edit = 0;
	}
}
