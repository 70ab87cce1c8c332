/*
 * cli-gen.c -- writes a large, realistic Claude Code transcript tree
 *
 *	cli-gen DIR SIZE_MB [SEED]
 *
 * DIR/projects/<project>/<session>.jsonl with what real transcripts hold
 * most of: prompts, assistant messages streamed over several lines with
 * the same message id, tool results carrying whole files (Read), edits
 * with their structured patch and original file, command output, and
 * sub-agent files under <session>/subagents/ that replay a parent message.
 * Times fall within the last 25 days, so an ordinary sync takes them all.
 * Deterministic for a given seed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static uint64_t rng = 88172645463325252ULL;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static int range(int lo, int hi)
{
	return lo + (int)(rnd() % (uint64_t)(hi - lo + 1));
}

/* 16-byte pieces of JSON string content, escapes included */
static const char *const piece[] = {
	"int main(void) {", "\\treturn 0;\\n}\\n ", "  if (x == NULL)", " { err(\\\"x\\\"); }",
	"for (i = 0; i < ", "n; i++) sum += a", "[i];\\n/* note */", "const char *s = ",
	"\\\"hello\\\";\\n    ", "fn parse(&self) ", "-> Result<()> {\\n", "    let v = vec!",
	"[1, 2, 3];\\n}\\n  ", "def handler(req)", ":\\n    return  ", "json.dumps(x)\\n ",
	"import os, sys\\n", "SELECT * FROM t ", "WHERE id = $1;\\n ", "<div class=\\\"a\\\">",
};
#define NPIECES (sizeof(piece) / sizeof(*piece))

static char *chunk;
#define CHUNK (1 << 20)

static void make_chunk(void)
{
	size_t i;

	chunk = malloc(CHUNK + 1);
	for (i = 0; i < CHUNK / 16; i++)
		memcpy(chunk + i * 16, piece[rnd() % NPIECES], 16);
	chunk[CHUNK] = '\0';
}

/* n bytes (rounded to 16) of string content */
static void text(FILE *f, int n)
{
	size_t off = (size_t)(rnd() % (CHUNK / 16 - 2048)) * 16;
	size_t len = (size_t)(n / 16 + 1) * 16;

	if (len > 2048 * 16)
		len = 2048 * 16;
	fwrite(chunk + off, 1, len, f);
}

static void iso(char *out, int64_t ms)
{
	time_t s = (time_t)(ms / 1000);
	struct tm tm;

	gmtime_r(&s, &tm);
	sprintf(out, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
		tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ms % 1000));
}

static const char *model(void)
{
	int r = range(0, 9);

	return r < 7 ? "claude-sonnet-4-5-20250929" : r < 9 ? "claude-opus-4-1-20250805" :
	       "claude-haiku-4-5-20251001";
}

static const char *const tools[] = { "Read", "Edit", "Bash", "Grep", "Write", "Glob", "TodoWrite" };

static uint64_t ids;

static long long total_in, total_out, total_cc, total_cr;

static void usage_obj(FILE *f, int in, int out, int cc, int cr)
{
	fprintf(f, "\"usage\":{\"input_tokens\":%d,\"cache_creation_input_tokens\":%d,"
		"\"cache_read_input_tokens\":%d,\"cache_creation\":{\"ephemeral_5m_input_tokens\":%d,"
		"\"ephemeral_1h_input_tokens\":0},\"output_tokens\":%d,\"service_tier\":\"standard\"}",
		in, cc, cr, cc, out);
}

#define HDR "{\"parentUuid\":\"p-%llu\",\"isSidechain\":%s,\"userType\":\"external\"," \
	"\"cwd\":\"/home/user/src/project-%d\",\"sessionId\":\"%s\",\"version\":\"2.0.14\"," \
	"\"gitBranch\":\"main\","

/* One assistant step: streamed lines, then the tool result. */
static void step(FILE *f, const char *sid, int proj, int64_t *t, int side, const char *mdl,
		 const char *reuse_msg)
{
	char ts[32];
	unsigned long long msg = (unsigned long long)++ids, req = (unsigned long long)++ids;
	int in = range(1, 40), out = range(20, 1500), cc = range(0, 12000), cr = range(8000, 160000);
	int blocks = range(1, 3), b;
	const char *tool = tools[rnd() % 7];
	unsigned long long tu = (unsigned long long)++ids;

	for (b = 0; b < blocks; b++) {
		int last = b == blocks - 1;

		*t += range(200, 4000);
		iso(ts, *t);
		fprintf(f, HDR, (unsigned long long)ids, side ? "true" : "false", proj, sid);
		if (reuse_msg)
			fprintf(f, "\"message\":{\"id\":\"%s\",", reuse_msg);
		else
			fprintf(f, "\"message\":{\"id\":\"msg_01%llu\",", msg);
		fprintf(f, "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"%s\",\"content\":[", mdl);
		if (last)
			fprintf(f, "{\"type\":\"tool_use\",\"id\":\"toolu_%llu\",\"name\":\"%s\","
				"\"input\":{\"file_path\":\"/home/user/src/project-%d/src/file%d.c\"}}",
				tu, tool, proj, range(1, 300));
		else {
			fprintf(f, "{\"type\":\"%s\",\"%s\":\"", b ? "text" : "thinking", b ? "text" : "thinking");
			text(f, range(100, 2500));
			fputs("\"}", f);
		}
		fputs("],\"stop_reason\":null,\"stop_sequence\":null,", f);
		/* the streamed copies carry a partial output count */
		usage_obj(f, in, last ? out : out / (blocks - b + 1), cc, cr);
		fprintf(f, "},\"requestId\":\"req_%llu\",\"type\":\"assistant\",\"uuid\":\"a-%llu\","
			"\"timestamp\":\"%s\"}\n", req, (unsigned long long)++ids, ts);
	}
	if (!reuse_msg) {
		total_in += in;
		total_out += out;
		total_cc += cc;
		total_cr += cr;
	}
	*t += range(100, 20000);
	iso(ts, *t);
	fprintf(f, HDR, (unsigned long long)ids, side ? "true" : "false", proj, sid);
	fprintf(f, "\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":[{\"tool_use_id\":"
		"\"toolu_%llu\",\"type\":\"tool_result\",\"content\":\"", tu);
	text(f, range(100, 3000));
	fprintf(f, "\"}]},\"uuid\":\"u-%llu\",\"timestamp\":\"%s\",\"toolUseResult\":",
		(unsigned long long)++ids, ts);
	if (strcmp(tool, "Read") == 0) {
		fprintf(f, "{\"type\":\"text\",\"file\":{\"filePath\":\"/home/user/src/project-%d/src/f.c\","
			"\"content\":\"", proj);
		text(f, range(1000, 30000));
		fprintf(f, "\",\"numLines\":%d,\"startLine\":1,\"totalLines\":%d}}}\n", range(10, 900), 900);
	} else if (strcmp(tool, "Edit") == 0) {
		int i, n = range(2, 30);

		fprintf(f, "{\"filePath\":\"/home/user/src/project-%d/src/file%d.c\",\"oldString\":\"", proj, range(1, 300));
		text(f, 200);
		fputs("\",\"newString\":\"", f);
		text(f, 300);
		fputs("\",\"originalFile\":\"", f);
		text(f, range(2000, 25000));
		fputs("\",\"structuredPatch\":[{\"oldStart\":10,\"oldLines\":5,\"newStart\":10,\"newLines\":7,\"lines\":[", f);
		for (i = 0; i < n; i++) {
			fprintf(f, "%s\"%c", i ? "," : "", " +-"[rnd() % 3]);
			text(f, 40);
			fputc('"', f);
		}
		fputs("]}],\"userModified\":false,\"replaceAll\":false}}\n", f);
	} else if (strcmp(tool, "Write") == 0) {
		fprintf(f, "{\"type\":\"create\",\"filePath\":\"/home/user/src/project-%d/new%llu.c\",\"content\":\"",
			proj, (unsigned long long)ids);
		text(f, range(500, 8000));
		fputs("\",\"structuredPatch\":[]}}\n", f);
	} else {
		fputs("{\"stdout\":\"", f);
		text(f, range(50, 5000));
		fputs("\",\"stderr\":\"\",\"interrupted\":false,\"isImage\":false}}\n", f);
	}
}

int main(int argc, char **argv)
{
	char path[4096], sid[64], ts[32];
	long long want, written = 0;
	int64_t now = (int64_t)time(NULL) * 1000;
	int sessions = 0;

	if (argc < 3) {
		fputs("usage: cli-gen DIR SIZE_MB [SEED]\n", stderr);
		return 2;
	}
	want = atoll(argv[2]) * 1024LL * 1024;
	if (argc > 3)
		rng ^= (uint64_t)atoll(argv[3]) * 0x9E3779B97F4A7C15ULL;
	make_chunk();
	snprintf(path, sizeof(path), "%s/projects", argv[1]);
	mkdir(argv[1], 0755);
	mkdir(path, 0755);
	while (written < want) {
		int proj = range(0, 39), turns = range(4, 60), i;
		int64_t t = now - (int64_t)range(3600, 25 * 86400) * 1000;
		FILE *f;
		long size;
		char first_msg[64] = "";

		snprintf(sid, sizeof(sid), "%08x-%04x-4%03x-8%03x-%012llx", (unsigned)rnd(),
			 (unsigned)(rnd() & 0xffff), (unsigned)(rnd() & 0xfff), (unsigned)(rnd() & 0xfff),
			 (unsigned long long)(rnd() & 0xffffffffffffULL));
		snprintf(path, sizeof(path), "%s/projects/-home-user-work-project-%d", argv[1], proj);
		mkdir(path, 0755);
		snprintf(path, sizeof(path), "%s/projects/-home-user-work-project-%d/%s.jsonl", argv[1], proj, sid);
		f = fopen(path, "w");
		if (!f) {
			perror(path);
			return 1;
		}
		for (i = 0; i < turns; i++) {
			int steps = range(1, 8), s;
			const char *mdl = model();

			t += range(5000, 600000);
			iso(ts, t);
			fprintf(f, HDR, (unsigned long long)ids, "false", proj, sid);
			fputs("\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":\"", f);
			text(f, range(40, 1500));
			fprintf(f, "\"},\"uuid\":\"u-%llu\",\"timestamp\":\"%s\"}\n", (unsigned long long)++ids, ts);
			if (!first_msg[0])
				snprintf(first_msg, sizeof(first_msg), "msg_01%llu", (unsigned long long)ids + 1);
			for (s = 0; s < steps; s++)
				step(f, sid, proj, &t, 0, mdl, NULL);
		}
		size = ftell(f);
		fclose(f);
		written += size;
		/* one session in eight ran a sub-agent */
		if (range(0, 7) == 0) {
			int64_t st = t - 600000;

			snprintf(path, sizeof(path), "%s/projects/-home-user-work-project-%d/%s", argv[1], proj, sid);
			mkdir(path, 0755);
			strcat(path, "/subagents");
			mkdir(path, 0755);
			snprintf(path + strlen(path), sizeof(path) - strlen(path), "/agent-%llx.jsonl",
				 (unsigned long long)rnd());
			f = fopen(path, "w");
			if (f) {
				/* a replay of the parent's first message, then its own work */
				step(f, sid, proj, &st, 1, model(), first_msg);
				for (i = range(3, 20); i > 0; i--)
					step(f, sid, proj, &st, 1, model(), NULL);
				written += ftell(f);
				fclose(f);
			}
		}
		sessions++;
	}
	printf("{\"bytes\":%lld,\"sessions\":%d,\"inputTokens\":%lld,\"outputTokens\":%lld,"
	       "\"cacheCreationTokens\":%lld,\"cacheReadTokens\":%lld}\n",
	       written, sessions, total_in, total_out, total_cc, total_cr);
	return 0;
}
