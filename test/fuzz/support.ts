/**
 * Shared by the fuzz suites: how many cases to run, requests through the
 * Worker's real entry point, a pool of live sessions with a model of their
 * transcripts, and the oracles every response and frame is held to.
 *
 * The transcript model: a session's user messages change only when the
 * server says it accepted one (a 202, or the `message` echo of a `send`).
 * After each case the transcript is read back and its user messages must be
 * exactly the model's, so a rejected request that wrote anything, or an
 * accepted one that wrote something else, fails the case that did it.
 * Assistant and system replies arrive in the background (the queue consumer
 * answers every accepted message) and are not input, so they are only
 * checked for shape.
 */
import { env, exports } from "cloudflare:workers";
import fc from "fast-check";
import { expect } from "vitest";
import { z } from "zod";
import { DEV_DEFAULTS } from "../../src/shared/config";
import { type Message, messageSchema } from "../../src/shared/schemas/message";
import { problemSchema, sessionSchema, type TestSession } from "../support/api";

// ---- Case counts and seeds ----

const fuzzEnvSchema = z.object({
	FUZZ_RUNS: z.string().regex(/^\d*$/).optional(),
	FUZZ_SEED: z
		.string()
		.regex(/^-?\d*$/)
		.optional(),
});

/**
 * The fast-check options of one suite: `FUZZ_RUNS` cases when set (`npm run
 * fuzz`), else the suite's CI default; `FUZZ_SEED` replays a failed run (the
 * seed is printed with every counterexample), else the seed is random.
 * @example fc.assert(property, { ...fuzzOptions(1500) })
 */
export function fuzzOptions(defaultRuns: number): { numRuns: number; seed?: number } {
	const vars = fuzzEnvSchema.parse(env);
	const numRuns = vars.FUZZ_RUNS ? Number(vars.FUZZ_RUNS) : defaultRuns;
	return vars.FUZZ_SEED ? { numRuns, seed: Number(vars.FUZZ_SEED) } : { numRuns };
}

/**
 * `fc.assert`, with the report made safe for the trip out of workerd: the
 * pool sends results to vitest as UTF-8 text over a WebSocket, and a lone
 * surrogate in a counterexample or an assertion diff crashes that socket
 * (WS_ERR_INVALID_UTF8) instead of failing the test. The report keeps the
 * seed, the path and the shrunk counterexample, with such code units
 * written as `\uXXXX`.
 */
export async function assertProperty<Ts>(property: fc.IAsyncProperty<Ts>, options: fc.Parameters<Ts>): Promise<void> {
	const details = await fc.check(property, options);
	if (!details.failed) return;
	const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
	throw new Error(escapeLoneSurrogates(`${fc.defaultReportMessage(details)}\n\nCaused by: ${cause}`));
}

/** Writes each unpaired UTF-16 surrogate as the text `\uXXXX`. */
export function escapeLoneSurrogates(text: string): string {
	return text.replace(
		/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
		(unit) => `\\u${unit.charCodeAt(0).toString(16)}`,
	);
}

// ---- Requests ----

/** The Worker's own origin: a socket opened with this Origin is same-origin. */
export const ORIGIN = "http://localhost";

/** Through `src/index.ts`, as the runtime delivers a request, not through the Hono app object. */
export function workerFetch(path: string, init: RequestInit = {}): Promise<Response> {
	return exports.default.fetch(`${ORIGIN}${path}`, init);
}

/** An address of the fuzz suites' own (10.0.0.0/8), so their rate limits never touch other test files' key "unknown". */
export const fuzzIp = fc.tuple(fc.nat(254), fc.nat(255), fc.nat(255)).map(([a, b, c]) => `10.${a}.${b}.${c}`);

/** Every UTF-16 code unit, lone surrogates included: what a client can put in a JS string, not only valid Unicode. */
export const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));

/** Ids as CONTRACT §3 defines them (message ids, article ids). */
export const validId = fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/);

/** Message texts, mostly valid: short, Unicode, any code unit, around the 2,000 limit, and padded with whitespace that is trimmed. */
export const messageText = fc.oneof(
	fc.string({ minLength: 1, maxLength: 200 }),
	fc.string({ unit: "grapheme", minLength: 1, maxLength: 200 }),
	fc.string({ unit: anyCodeUnit, minLength: 1, maxLength: 100 }),
	fc.integer({ min: 1990, max: 2010 }).map((n) => "x".repeat(n)),
	fc.tuple(fc.constantFrom(" ", "\n", "\t", "\u00a0", "\u3000"), fc.string({ maxLength: 50 })).map(([pad, text]) => `${pad}${text}${pad}`),
);

// ---- The session pool and its transcript model ----

export interface PoolSession extends TestSession {
	/** The address it was created from, reused to read its transcript. */
	ip: string;
	/** User messages the server said it accepted, by id. */
	users: UserMessages;
	/** Set when a request erased the session (`DELETE`, CONTRACT §2): from then on it must read as 404. */
	deleted: boolean;
}

/** Creates `size` sessions, from addresses in 10.255.<suite>.0/24, two at most per address. */
export async function createPool(size: number, suite: number): Promise<PoolSession[]> {
	const pool: PoolSession[] = [];
	for (let i = 0; i < size; i++) {
		const ip = `10.255.${suite}.${i % 250}`;
		const response = await workerFetch("/api/sessions", { method: "POST", headers: { "CF-Connecting-IP": ip } });
		if (response.status !== 201) throw new Error(`session creation failed: ${response.status} ${await response.text()}`);
		pool.push({ ...sessionSchema.parse(await response.json()), ip, users: new Map(), deleted: false });
	}
	return pool;
}

const pageSchema = z.object({ messages: z.array(messageSchema), lastSeq: z.number().int(), hasMore: z.boolean() });

/** The whole transcript, page by page; `null` when the session answers 404. */
async function readTranscript(session: PoolSession): Promise<Message[] | null> {
	const messages: Message[] = [];
	for (let after = 0; ; ) {
		const response = await workerFetch(`/api/sessions/${session.sessionId}/messages?after=${after}&limit=100`, {
			headers: { Authorization: `Bearer ${session.token}`, "CF-Connecting-IP": session.ip },
		});
		const text = await response.text();
		if (response.status === 404) return null;
		expect(response.status, text).toBe(200);
		const page = pageSchema.parse(JSON.parse(text));
		messages.push(...page.messages);
		const last = page.messages.at(-1);
		if (!page.hasMore || !last) return messages;
		after = last.seq;
	}
}

type UserMessages = Map<string, { seq: number; text: string }>;

/**
 * The transcript's user messages are exactly the model's, seqs run 1..n
 * without gaps, and replies answer known messages. On a mismatch the model
 * adopts what the server holds before failing, so that the next case (and
 * each of fast-check's shrinking runs) fails only if it diverges again:
 * the counterexample is the case that changed the transcript, not whatever
 * case happened to look next.
 */
export async function expectTranscriptMatchesModel(session: PoolSession): Promise<void> {
	const messages = await readTranscript(session);
	const expectedDeleted = session.deleted;
	session.deleted = messages === null;
	if (messages === null || expectedDeleted) {
		expect(messages === null, `${session.sessionId} reads as 404 exactly when it was erased`).toBe(expectedDeleted);
		return;
	}
	const users: UserMessages = new Map(messages.filter((m) => m.role === "user").map((m) => [m.id, { seq: m.seq, text: m.text }]));
	const differences = differencesBetween(session.users, users);
	session.users = users;
	expect(differences.length, `user messages of ${session.sessionId}, accepted versus stored: ${differences.join("; ")}`).toBe(0);
	expect(
		messages.map((m) => m.seq),
		"seqs run 1..n",
	).toEqual(messages.map((_, i) => i + 1));
	for (const reply of messages.filter((m) => m.role !== "user")) {
		for (const id of reply.replyTo ?? []) expect(users.has(id), `reply ${reply.id} answers unknown message ${id}`).toBe(true);
	}
}

/**
 * Runs a case's checks and then, whatever they found, the transcript check,
 * which re-syncs the model; throws the first failure. Without this a case
 * that failed before its transcript check would leave the model behind, and
 * the next case would be blamed for it.
 */
export async function withTranscriptCheck(session: PoolSession, checks: () => Promise<void>): Promise<void> {
	const failures: unknown[] = [];
	try {
		await checks();
	} catch (error) {
		failures.push(error);
	}
	try {
		await expectTranscriptMatchesModel(session);
	} catch (error) {
		failures.push(error);
	}
	if (failures.length > 0) throw failures[0];
}

/** One line per message that differs, as JSON, which escapes lone surrogates (see assertProperty). */
function differencesBetween(model: UserMessages, stored: UserMessages): string[] {
	const differences: string[] = [];
	for (const id of new Set([...model.keys(), ...stored.keys()])) {
		const accepted = model.get(id);
		const found = stored.get(id);
		if (accepted?.seq !== found?.seq || accepted?.text !== found?.text) {
			differences.push(`${JSON.stringify(id)}: accepted ${JSON.stringify(accepted ?? null)}, stored ${JSON.stringify(found ?? null)}`);
		}
	}
	return differences;
}

/**
 * Records an accepted message in the model, checking the server's answer
 * against it: a new id must be new, a duplicate must repeat the stored seq.
 */
export function recordAccepted(
	session: PoolSession,
	sent: { id?: string | undefined; text: string },
	accepted: { messageId: string; seq: number; duplicate: boolean },
): void {
	if (sent.id !== undefined) expect(accepted.messageId, "the client's id is the message id").toBe(sent.id);
	const known = session.users.get(accepted.messageId);
	if (accepted.duplicate) {
		expect(known, `a duplicate of ${accepted.messageId} must repeat a stored message`).toBeDefined();
		expect(accepted.seq, "a duplicate keeps its seq").toBe(known?.seq);
		return;
	}
	expect(known, `${accepted.messageId} was already accepted, so this is a duplicate`).toBeUndefined();
	session.users.set(accepted.messageId, { seq: accepted.seq, text: sent.text.trim() });
	rememberStored(sent.text);
}

// ---- Leaks ----

/** Binding names and source paths: internal names the contract says are never sent. */
const INTERNAL_NAMES = [
	"SESSION_HUB",
	"KNOWLEDGE_BASE",
	"FAULT_SWITCH",
	"CHAT_QUEUE",
	"SESSION_CREATE_LIMITER",
	"CONNECT_LIMITER",
	"KB_SEARCH_LIMITER",
	"ADMIN_FAILURE_LIMITER",
	"src/",
	".ts:",
];

/**
 * How each internal name is found, in any case. A binding name counts only
 * as a whole identifier: `chat_queue_wait_seconds`, a metric family that
 * GET /api/metrics must send, is not the CHAT_QUEUE binding.
 */
const INTERNAL_NAME_PATTERNS = INTERNAL_NAMES.map((name) => ({
	name,
	pattern: /^[A-Z_]+$/.test(name)
		? new RegExp(`(?<![A-Za-z0-9_])${name}(?![A-Za-z0-9_])`, "i")
		: new RegExp(name.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"), "i"),
}));

/** A V8 stack frame ("at fn (file:1:2)", "at file:1:2"), and an error line followed by one, raw or JSON-escaped. */
const STACK_PATTERNS = [/\bat (?:[^\n()]+ \()?[^\s()]+:\d+:\d+\)?/, /\w*Error: [^\n]*?(?:\n|\\n)\s*at /];

/** Never sent back, not even when the request carried them. */
const SECRETS: readonly string[] = [DEV_DEFAULTS.adminToken, DEV_DEFAULTS.sessionSecret];

/**
 * Texts the server stored for the fuzzer (accepted messages, articles): it
 * sends them back later, in transcripts, searches and replies quoting them.
 */
const stored: string[] = [];

/** Remembers a text the server stored, so that later answers may repeat it. */
export function rememberStored(text: string): void {
	stored.push(text);
}

/**
 * What `text` gives away that it must not. `sent` is everything the request
 * carried: the server may echo a client's own words (an unknown field is
 * named in the problem's `errors`, a transcript repeats earlier messages),
 * so those are not leaks; secrets are.
 * @example leaksIn('{"detail":"at f (src/a.ts:1:2)"}', "") // ["src/", ".ts:", "at f (src/a.ts:1:2)"]
 */
export function leaksIn(text: string, sent: string): string[] {
	// Only asked once a needle is found, which is rare: scanning every stored text is affordable then.
	const echoed = (needle: string) => [sent, ...stored].some((source) => source.toLowerCase().includes(needle.toLowerCase()));
	const found = SECRETS.filter((secret) => text.includes(secret));
	for (const { name, pattern } of INTERNAL_NAME_PATTERNS) if (pattern.test(text) && !echoed(name)) found.push(name);
	for (const pattern of STACK_PATTERNS) {
		const match = pattern.exec(text)?.[0];
		if (match && !echoed(match)) found.push(match);
	}
	return found;
}

// ---- Responses ----

/** A request id any reasonable server echoes (CONTRACT §1: "It echoes a valid incoming one"). */
const PLAIN_REQUEST_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The properties every HTTP response has: below 500; `X-Request-Id`; errors
 * as problem+json whose `status` is the HTTP status; 429 with Retry-After;
 * nothing internal in the body or the headers. Returns the body text.
 */
export async function expectWellFormedResponse(
	response: Response,
	request: { method: string; requestId: string | undefined; sent: string },
): Promise<string> {
	const body = await response.text();
	const where = escapeLoneSurrogates(`${request.method} answered ${response.status}: ${body.slice(0, 500)}`);
	expect(response.status, where).toBeLessThan(500);
	const requestId = response.headers.get("X-Request-Id");
	expect(requestId, where).toBeTruthy();
	if (request.requestId !== undefined && PLAIN_REQUEST_ID.test(request.requestId)) expect(requestId, where).toBe(request.requestId);
	if (request.method.toUpperCase() === "HEAD") expect(body, "a HEAD response has no body").toBe("");
	if (response.status >= 400) {
		const mediaType = (response.headers.get("Content-Type") ?? "").split(";")[0]?.trim().toLowerCase();
		expect(mediaType, where).toBe("application/problem+json");
		if (request.method.toUpperCase() !== "HEAD") {
			const problem = problemSchema.safeParse(parseJson(body));
			expect(problem.success, `not a problem: ${where}`).toBe(true);
			expect(problem.data?.status, where).toBe(response.status);
		}
	}
	if (response.status === 429) expect(response.headers.get("Retry-After"), where).toMatch(/^\d+$/);
	const headerText = [...response.headers].map(([name, value]) => `${name}: ${value}`).join("\n");
	expect(leaksIn(`${headerText}\n${body}`, request.sent), where).toEqual([]);
	return body;
}

/** JSON.parse that answers `undefined` for non-JSON, so the schema's failure is the one reported. */
export function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

/**
 * A request body as the ingress reads it (src/ingress/json-body.ts): one leading byte order mark
 * is dropped, as RFC 8259 §8.1 allows, then parseJson. Socket frames get no such allowance.
 */
export function parseJsonBody(text: string): unknown {
	return parseJson(text.startsWith("\uFEFF") ? text.slice(1) : text);
}
