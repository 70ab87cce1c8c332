/*
 * evalmodel.h -- asking a model to score a project, and reading its answer
 * strictly
 *
 * The request is an OpenAI-compatible chat completion (POST
 * URL/v1/chat/completions, Authorization: Bearer KEY) or an Anthropic
 * Messages call (POST URL/v1/messages, x-api-key: KEY), with a fixed
 * rubric as the system prompt and the project as data in the user
 * message: its name, file counts and README between two markers that
 * carry a random nonce, so the README cannot close its own block.
 *
 * The model's text must be exactly one JSON object, nothing around it
 * but white space: {"functionality": 0-5, "practicality": 0-5,
 * "feedback": "..."} with integer scores, a feedback string of 1 to 2000
 * characters, and no other member.  Feedback that repeats eight or more
 * consecutive words of the README, or names the markers, is taken as the
 * model following text from the README and refused.  Anything else is a
 * failed evaluation with its reason, never a score.
 */
#ifndef ARENA_EVALMODEL_H
#define ARENA_EVALMODEL_H

#include <stddef.h>
#include <stdint.h>

enum eval_api { EVAL_OPENAI, EVAL_ANTHROPIC };

struct eval_conf {
	enum eval_api api;
	const char *url;	/* base URL: https://..., or http:// to loopback */
	const char *model;
	const char *key;	/* may be empty (a local server) */
	long timeout_s;
};

struct eval_project {
	const char *name;
	const char *readme;
	const char *file_counts;	/* JSON object text */
};

enum eval_outcome {
	EVAL_DONE,		/* scores and feedback set */
	EVAL_RETRY,		/* transient: timeout, no answer, 429, 5xx */
	EVAL_FAILED,		/* the answer is unusable: reason says why */
};

struct eval_result {
	enum eval_outcome outcome;
	int functionality, practicality;
	char *feedback;		/* malloc'd when EVAL_DONE */
	char reason[256];
};

/* 0 if the settings are usable, else -1 with why in err. */
int eval_conf_check(const struct eval_conf *c, char *err, size_t n);

/* Builds the request body (malloc'd, NUL-terminated). */
char *eval_request_body(const struct eval_conf *c, const struct eval_project *p,
			const char *nonce);

/* Reads a provider's reply (HTTP status and body) into r. */
void eval_read_reply(const struct eval_conf *c, long status, const char *body, size_t len,
		     const struct eval_project *p, const char *nonce, struct eval_result *r);

/* Checks the model's text itself (the inner answer) into r. */
void eval_check_answer(const char *text, size_t len, const struct eval_project *p,
		       const char *nonce, struct eval_result *r);

/* Sends one project to the model and reads the answer (libcurl). */
void eval_project_run(const struct eval_conf *c, const struct eval_project *p,
		      struct eval_result *r);

void eval_result_release(struct eval_result *r);

#endif
