/**
 * RFC 9457 problem details: the single shape of every HTTP error (CONTRACT §1).
 * Handlers throw `HttpProblem`; the app's one `onError` renders it.
 */
import type { ZodError } from "zod";
import type { FieldError, Problem } from "./schemas/responses";

export type { FieldError };
/** The body every error is sent with: `problemSchema` in schemas/responses.ts, which the OpenAPI document shows. */
export type ProblemBody = Problem;

const TITLES: Record<number, string> = {
	400: "Bad Request",
	401: "Unauthorized",
	403: "Forbidden",
	404: "Not Found",
	405: "Method Not Allowed",
	413: "Content Too Large",
	415: "Unsupported Media Type",
	426: "Upgrade Required",
	429: "Too Many Requests",
	503: "Service Unavailable",
};

export class HttpProblem extends Error {
	override readonly name = "HttpProblem";
	readonly status: number;
	readonly detail: string;
	readonly errors: FieldError[] | undefined;
	readonly headers: Record<string, string>;

	constructor(status: number, detail: string, options: { errors?: FieldError[]; headers?: Record<string, string> } = {}) {
		super(detail);
		this.status = status;
		this.detail = detail;
		this.errors = options.errors;
		this.headers = options.headers ?? {};
	}

	toBody(): ProblemBody {
		const body: ProblemBody = {
			// "about:blank" means the status code says it all; the title is its phrase (RFC 9457 §4.2.1).
			type: "about:blank",
			title: TITLES[this.status] ?? "Error",
			status: this.status,
			detail: this.detail,
		};
		if (this.errors) body.errors = this.errors;
		return body;
	}
}

/** One entry per failed field, with a dotted path ("" for the body itself). */
export function fieldErrors(error: ZodError): FieldError[] {
	return error.issues.flatMap((issue) => {
		const at = (path: PropertyKey[]) => path.map(String).join(".");
		// An unknown key is reported on its parent; name the offending field itself.
		if (issue.code === "unrecognized_keys") return issue.keys.map((key) => ({ path: at([...issue.path, key]), message: "unknown field" }));
		return [{ path: at(issue.path), message: issue.message }];
	});
}

/** A 400 listing each field that failed validation. */
export function validationProblem(error: ZodError, where = "request body"): HttpProblem {
	return new HttpProblem(400, `The ${where} failed validation.`, { errors: fieldErrors(error) });
}

export function problemResponse(problem: HttpProblem, headers: Record<string, string> = {}): Response {
	return new Response(JSON.stringify(problem.toBody()), {
		status: problem.status,
		headers: { "Content-Type": "application/problem+json", ...problem.headers, ...headers },
	});
}
