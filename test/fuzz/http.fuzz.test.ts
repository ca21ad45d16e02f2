/**
 * Property-based fuzzing of the HTTP API (CONTRACT §1–§3, §5, §6): every
 * operation of the OpenAPI document (http-operations.ts says which are left
 * out or restricted, and why), wrong methods and unknown paths, with
 * generated ids, query strings, headers, credentials and bodies. Valid
 * requests are mixed in (live sessions and their tokens, the admin token,
 * well-formed bodies) so that cases get past authentication into validation
 * and the Durable Objects.
 *
 * Properties of every response: below 500, `X-Request-Id`, errors as
 * problem+json with a matching `status`, nothing internal sent back, and
 * the targeted session's transcript changed only by what was accepted.
 * A failure prints fast-check's seed and counterexample; `FUZZ_SEED=<seed>`
 * replays the run.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { signSessionToken } from "../../src/ingress/session-token";
import { DEV_DEFAULTS } from "../../src/shared/config";
import { sessionSchema } from "../support/api";
import { httpCase } from "./http-cases";
import { ERASING, FUZZED_OPERATIONS, MODELLED } from "./http-operations";
import { build, type Fixtures } from "./http-request";
import {
	assertProperty,
	createPool,
	escapeLoneSurrogates,
	expectTranscriptMatchesModel,
	expectWellFormedResponse,
	fuzzOptions,
	type PoolSession,
	parseJsonBody,
	recordAccepted,
	rememberStored,
	withTranscriptCheck,
	workerFetch,
} from "./support";

/** With the frames suite's default this makes 2,000 cases per CI run (`npm run fuzz`: 20,000 each). */
const OPTIONS = fuzzOptions(1000);
/** About 100 cases per session, so the 30-messages-a-minute limit still leaves most message cases accepted. */
const POOL_SIZE = Math.max(8, Math.ceil(OPTIONS.numRuns / 100));
/** Sessions for the erasing operations to erase (the sessions cases create join them): about one per 60 cases, so some are still live late in a run. */
const DISPOSABLE_SIZE = Math.max(4, Math.ceil(OPTIONS.numRuns / 60));

// ---- The properties ----

const acceptedSchema = z.object({
	messageId: z.string(),
	seq: z.number().int().positive(),
	status: z.literal("queued"),
	duplicate: z.boolean(),
});
/** What a client sent that the server accepted: it must have had this shape (CONTRACT §3). */
const sentMessageSchema = z.object({ id: z.string().optional(), text: z.string() });
const warmStartedSchema = z.object({ jobId: z.string() });

/** Refusals at the door: any other status proves a case reached the operation itself. */
const REFUSED_AT_THE_DOOR = new Set([401, 403, 429]);

describe("HTTP API under generated input", () => {
	const fixtures: Fixtures = { pool: [], disposable: [], expired: new Map(), neverCreated: "", jobs: [], agentToken: "" };
	/** Statuses seen per operation drawn, to prove the cases reached past authentication. */
	const seen = new Map<string, Set<number>>();
	const signExpired = async (session: PoolSession) => {
		const aMinuteAgo = new Date(Date.now() - 60_000);
		fixtures.expired.set(session.sessionId, await signSessionToken(DEV_DEFAULTS.sessionSecret, session.sessionId, aMinuteAgo));
	};

	beforeAll(async () => {
		fixtures.pool = await createPool(POOL_SIZE, 1);
		fixtures.disposable = await createPool(DISPOSABLE_SIZE, 5);
		for (const session of [...fixtures.pool, ...fixtures.disposable]) await signExpired(session);
		fixtures.neverCreated = await signSessionToken(DEV_DEFAULTS.sessionSecret, "ses_neverCreated", new Date(Date.now() + 3_600_000));
		const agent = await workerFetch("/api/admin/agents", {
			method: "POST",
			headers: { Authorization: `Bearer ${DEV_DEFAULTS.adminToken}`, "Content-Type": "application/json" },
			body: JSON.stringify({ name: "Fuzz" }),
		});
		fixtures.agentToken = z.object({ token: z.string() }).parse(await agent.json()).token;
	});

	afterAll(async () => {
		// Faults the fuzzer set would slow this file's own background turns; leave the switch off.
		await workerFetch("/api/admin/faults", { method: "DELETE", headers: { Authorization: `Bearer ${DEV_DEFAULTS.adminToken}` } });
	});

	it(`never answers 5xx, always problem+json for errors, never leaks, and keeps transcripts to what it accepted (${OPTIONS.numRuns} cases)`, {
		timeout: Math.max(60_000, OPTIONS.numRuns * 40),
	}, async () => {
		await assertProperty(
			fc.asyncProperty(httpCase, async (c) => {
				const built = build(c, fixtures);
				await withTranscriptCheck(built.checked, async () => {
					const response = await workerFetch(built.path, built.init);
					// An upgrade that succeeded: take the socket and close it, so cases do not pile up open sockets.
					if (response.webSocket) {
						response.webSocket.accept();
						response.webSocket.close(1000, "fuzz case done");
					}
					const text = await expectWellFormedResponse(response, {
						method: built.method,
						requestId: built.requestId,
						sent: built.sent,
					});
					const statuses = seen.get(c.operation) ?? new Set();
					seen.set(c.operation, statuses.add(response.status));

					// The models follow the operation the Worker ran, whatever operation the case was drawn for.
					if (built.served === MODELLED.postMessage && response.status === 202) {
						expect(built.target, "a message was accepted for a session outside the pool").toBeDefined();
						const sent = sentMessageSchema.safeParse(parseJsonBody(built.bodyText ?? ""));
						expect(sent.success, escapeLoneSurrogates(`accepted a body that is not {id?, text}: ${built.bodyText}`)).toBe(true);
						if (built.target && sent.data) recordAccepted(built.target, sent.data, acceptedSchema.parse(JSON.parse(text)));
					}
					if (built.served === MODELLED.putArticle && response.status < 300) rememberStored(built.bodyText ?? "");
					// Erasing a session (CONTRACT §2, §6): from then on the model expects it to read as 404.
					if (built.served && ERASING.has(built.served) && response.status < 300 && built.target) built.target.deleted = true;
					// A session a case created is one more for the erasing operations.
					if (built.served === MODELLED.createSession && response.status === 201) {
						const created: PoolSession = { ...sessionSchema.parse(JSON.parse(text)), ip: c.ip, users: new Map(), deleted: false };
						await signExpired(created);
						fixtures.disposable.push(created);
					}
					// A job's questions are stored for its answers; its id is one more for the job status route.
					if (built.served === MODELLED.startWarm && response.status === 202) {
						rememberStored(built.bodyText ?? "");
						fixtures.jobs.push(warmStartedSchema.parse(JSON.parse(text)).jobId);
					}
				});
			}),
			OPTIONS,
		);
		for (const session of [...fixtures.pool, ...fixtures.disposable]) await expectTranscriptMatchesModel(session);
		// Guards the generators: a fuzzer stuck at 401 would pass every property while testing nothing.
		if (OPTIONS.numRuns < 500) return;
		expect(seen.get(MODELLED.postMessage)?.has(202), "some messages were accepted").toBe(true);
		expect(seen.get(MODELLED.openSocket)?.has(101), "some sockets were opened").toBe(true);
		for (const key of ERASING) expect(seen.get(key)?.has(204), `${key} erased some session`).toBe(true);
		const unreached = FUZZED_OPERATIONS.filter((op) => ![...(seen.get(op.key) ?? [])].some((status) => !REFUSED_AT_THE_DOOR.has(status)));
		expect(
			unreached.map((op) => op.key),
			"operations no case got past authentication",
		).toEqual([]);
	});
});
