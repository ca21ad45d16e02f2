/**
 * Test files of pure code: they use no binding (no `cloudflare:*` import, no
 * request to the Worker) and no module-level state (no metrics recorder, no
 * caches shared by an isolate). vitest.config.ts runs them with
 * `isolate: false`, in workers that each run many files, which saves the
 * ~1.7 s a fresh workerd takes per file. Every other file keeps a workerd of
 * its own, so a new test file is isolated unless it is listed here;
 * test/lint/pure-tests.node.test.ts checks that a listed file imports none
 * of what would make it share state.
 */
export const PURE_TEST_FILES = [
	"test/durable/admission-line.test.ts",
	"test/durable/outcomes.test.ts",
	"test/durable/replay.test.ts",
	"test/durable/watchdog.test.ts",
	"test/eval/dialogues.test.ts",
	"test/eval/score.test.ts",
	"test/ingress/session-token.test.ts",
	"test/sdk/agent.test.ts",
	"test/sdk/api.test.ts",
	"test/sdk/backoff.test.ts",
	"test/sdk/connection-timers.test.ts",
	"test/sdk/connection.test.ts",
	"test/sdk/outbox.test.ts",
	"test/sdk/place-in-line.test.ts",
	"test/sdk/send-errors.test.ts",
	"test/sdk/session.test.ts",
	"test/sdk/transcript-bound.test.ts",
	"test/sdk/transcript.test.ts",
	"test/shared/ai/adapter-tool-calls.test.ts",
	"test/shared/ai/answer-type.test.ts",
	"test/shared/ai/provider-wrappers.test.ts",
	"test/shared/ai/sse.test.ts",
	"test/shared/ai/tool-calls.test.ts",
	"test/shared/ai/with-admission.test.ts",
	"test/shared/ai/workers-ai.test.ts",
	"test/shared/alerts/rules.test.ts",
	"test/shared/cache/keys.test.ts",
	"test/shared/cache/normalize-question.test.ts",
	"test/shared/config-warm-min-sessions.test.ts",
	"test/shared/config.test.ts",
	"test/shared/errors.test.ts",
	"test/shared/identity/user-token.test.ts",
	"test/shared/kb/embedder.test.ts",
	"test/shared/kb/word-vector-embedder.test.ts",
	"test/shared/kb/front-matter.test.ts",
	"test/shared/kb/fusion.test.ts",
	"test/shared/kb/passages.test.ts",
	"test/shared/metrics/prometheus.test.ts",
	"test/shared/metrics/synthetic-history.test.ts",
	"test/shared/schemas.test.ts",
	"test/shared/summary/extractive.test.ts",
	"test/shared/summary/prompt.test.ts",
	"test/shared/summary/summarize.test.ts",
	"test/shared/text/account-question.test.ts",
	"test/shared/text/follow-up.test.ts",
	"test/shared/text/person-request.test.ts",
	"test/shared/text/terms.test.ts",
	"test/shared/turn/account-reply.test.ts",
	"test/shared/turn/citations.test.ts",
	"test/shared/turn/conversational-query.test.ts",
	"test/shared/turn/model-routing.test.ts",
	"test/shared/turn/prompt.test.ts",
];
