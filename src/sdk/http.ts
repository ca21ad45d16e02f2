/**
 * The request machinery under `ChatApi` and `AdminApi`: JSON in and out,
 * a deadline per request, the answer validated with the caller's parser, and
 * an HTTP error turned into a `ProblemError` carrying the server's status,
 * title and detail. `fetch` is injectable, so tests can pass a fake and
 * workerd tests `SELF.fetch` or `app.request`.
 */
import { ProblemError, ProtocolError } from "./errors";
import type { Parser } from "./frames";
import type { Problem } from "./responses";

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface HttpOptions {
	/** `http://localhost:8787`; no trailing slash needed. */
	baseUrl: string;
	/** Defaults to the global `fetch`, looked up at call time. */
	fetch?: FetchLike;
	/** Per request; 0 for none. */
	timeoutMs?: number;
}

/** Per call: a signal that aborts it (a deadline of the caller's own). */
export interface CallOptions {
	signal?: AbortSignal;
}

export interface Call {
	method?: string;
	token?: string | undefined;
	body?: unknown;
	expect: readonly number[];
	signal?: AbortSignal | undefined;
	/** Told the status before the body is read (201 created versus 200 replaced). */
	onStatus?: (status: number) => void;
}

export class HttpClient {
	readonly baseUrl: string;
	readonly #options: HttpOptions;
	readonly #problem: Parser<Problem>;

	constructor(options: HttpOptions, problem: Parser<Problem>) {
		this.#options = options;
		this.baseUrl = options.baseUrl.replace(/\/+$/, "");
		this.#problem = problem;
	}

	/** A call whose answer has no body (204). */
	async none(path: string, call: Call): Promise<void> {
		const response = await this.#fetch(path, call);
		await response.body?.cancel();
	}

	/** A call whose answer is JSON, validated with `parser`. */
	async json<T>(path: string, call: Call, parser: Parser<T>): Promise<T> {
		const response = await this.#fetch(path, call);
		const text = await response.text();
		let json: unknown;
		try {
			json = JSON.parse(text);
		} catch (error) {
			throw new ProtocolError(`HTTP ${response.status} ${path}: body is not JSON: ${text.slice(0, 200)}`, response.status, {
				cause: error,
			});
		}
		const parsed = parser.safeParse(json);
		if (!parsed.success)
			throw new ProtocolError(
				`HTTP ${response.status} ${path}: unexpected body ${text.slice(0, 300)}: ${parsed.error.message}`,
				response.status,
			);
		return parsed.data;
	}

	/** Sends the request; an answer with a status other than `expect` becomes the error it stands for. */
	async #fetch(path: string, call: Call): Promise<Response> {
		const headers: Record<string, string> = {};
		if (call.body !== undefined) headers["Content-Type"] = "application/json";
		if (call.token) headers.Authorization = `Bearer ${call.token}`;
		const timeoutMs = this.#options.timeoutMs ?? 15_000;
		const signals = [call.signal, timeoutMs > 0 ? AbortSignal.timeout(timeoutMs) : undefined].filter((s) => s !== undefined);
		const init: RequestInit = {
			method: call.method ?? "GET",
			headers,
			...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
			...(signals.length > 0 ? { signal: signals.length === 1 ? signals[0] : AbortSignal.any(signals) } : {}),
		};
		const fetcher = this.#options.fetch ?? ((input: string, request?: RequestInit) => fetch(input, request));
		const response = await fetcher(`${this.baseUrl}${path}`, init);
		if (!call.expect.includes(response.status)) throw await toError(response, call.expect, this.#problem);
		call.onStatus?.(response.status);
		return response;
	}
}

/** An error answer as a `ProblemError`; one that is not problem+json still gets its status and a title. */
async function toError(response: Response, expected: readonly number[], parser: Parser<Problem>): Promise<Error> {
	const text = await response.text();
	const retryAfter = Number(response.headers.get("Retry-After") ?? Number.NaN);
	const seconds = Number.isFinite(retryAfter) ? retryAfter : undefined;
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	const problem = parser.safeParse(json);
	if (problem.success) return new ProblemError(problem.data, seconds);
	if (response.ok)
		return new ProtocolError(`expected HTTP ${expected.join(" or ")}, got ${response.status}: ${text.slice(0, 200)}`, response.status);
	return new ProblemError(
		{ type: "about:blank", title: response.statusText || `HTTP ${response.status}`, status: response.status, detail: text.slice(0, 200) },
		seconds,
	);
}

/** A path segment, escaped. */
export function enc(segment: string): string {
	return encodeURIComponent(segment);
}
