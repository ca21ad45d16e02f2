/**
 * The integrator's back-office API (CONTRACT §8), as the tools reach it:
 * BACKOFFICE_URL over fetch (or a service binding, `BACKOFFICE`, where both
 * Workers run together), answers parsed with zod, and each call under one
 * deadline within which transient failures (a network error, a timeout,
 * 429, 5xx) are retried with jittered backoff. Writes always carry
 * `Idempotency-Key`, so a retry can never act twice.
 *
 * Nothing here logs a request's body or an answer: they are the customer's
 * account data (CONTRACT §8, "tool arguments and results never appear in logs").
 */
import type { z } from "zod";

/** Each attempt's own deadline, within the call's. */
const ATTEMPT_TIMEOUT_MS = 3000;
const FIRST_BACKOFF_MS = 150;

export interface BackOfficeConfig {
	url: string;
	token: string | undefined;
	timeoutMs: number;
}

/** The back office could not be reached in time (down, slow, or failing transiently until the deadline). */
export class BackOfficeUnavailable extends Error {
	override readonly name = "BackOfficeUnavailable";
}

/** The back office answered and said no (a 4xx): not worth retrying. `detail` is its own explanation, when it gave one. */
export class BackOfficeRefused extends Error {
	override readonly name = "BackOfficeRefused";
	constructor(
		readonly status: number,
		readonly detail: string,
	) {
		super(`the back office refused the request (HTTP ${status})`);
	}
}

export interface BackOffice {
	get<S extends z.ZodType>(path: string, schema: S): Promise<z.output<S>>;
	post<S extends z.ZodType>(path: string, body: unknown, idempotencyKey: string, schema: S): Promise<z.output<S>>;
}

/** How many requests a call sent: `attempts` of a tool call (CONTRACT §8 `GET …/tool-calls`). */
export interface AttemptCounter {
	attempted(): void;
}

/**
 * @example await backOffice(config, env.BACKOFFICE).get("/users/usr_ada/subscription", subscriptionSchema)
 */
export function backOffice(config: BackOfficeConfig, binding?: Fetcher, counter?: AttemptCounter): BackOffice {
	const send = (path: string, init: RequestInit, signal: AbortSignal) => {
		const request = new Request(`${config.url}${path}`, { ...init, signal });
		return binding ? binding.fetch(request) : fetch(request);
	};
	const call = async <S extends z.ZodType>(path: string, init: RequestInit, schema: S): Promise<z.output<S>> => {
		const deadline = Date.now() + config.timeoutMs;
		const headers = new Headers(init.headers);
		headers.set("Accept", "application/json");
		if (config.token) headers.set("Authorization", `Bearer ${config.token}`);
		for (let attempt = 1; ; attempt++) {
			const left = deadline - Date.now();
			if (left <= 0) throw new BackOfficeUnavailable("the back office did not answer in time");
			counter?.attempted();
			let response: Response;
			try {
				response = await send(path, { ...init, headers }, AbortSignal.timeout(Math.min(ATTEMPT_TIMEOUT_MS, left)));
			} catch {
				await pause(attempt, deadline);
				continue;
			}
			if (response.status === 429 || response.status >= 500) {
				await response.body?.cancel();
				await pause(attempt, deadline);
				continue;
			}
			const json: unknown = await response.json().catch(() => undefined);
			if (!response.ok) throw new BackOfficeRefused(response.status, detailOf(json));
			const parsed = schema.safeParse(json);
			// An answer in an unknown shape is the integrator's bug, not the user's: nothing to retry, nothing to invent.
			if (!parsed.success) throw new BackOfficeRefused(502, "the back office answered in an unexpected shape");
			return parsed.data;
		}
	};
	return {
		get: (path, schema) => call(path, { method: "GET" }, schema),
		post: (path, body, idempotencyKey, schema) =>
			call(
				path,
				{ method: "POST", body: JSON.stringify(body), headers: { "Content-Type": "application/json", "Idempotency-Key": idempotencyKey } },
				schema,
			),
	};
}

/** Full-jitter backoff, never past the deadline. */
async function pause(attempt: number, deadline: number): Promise<void> {
	const ceiling = FIRST_BACKOFF_MS * 2 ** Math.min(attempt - 1, 5);
	const wait = Math.min(Math.random() * ceiling, Math.max(0, deadline - Date.now()));
	if (wait > 0) await scheduler.wait(wait);
}

function detailOf(json: unknown): string {
	if (typeof json === "object" && json !== null && "detail" in json && typeof json.detail === "string") return json.detail.slice(0, 300);
	return "";
}

/** A path segment from an id the tools validated (they never take a user id from the model: CONTRACT §8). */
export function segment(id: string): string {
	return encodeURIComponent(id);
}
