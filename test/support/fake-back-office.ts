/**
 * Vitest global setup (runs in Node): a stand-in for the sample back office
 * (src/backoffice) that the `workers` tests reach through BACKOFFICE_URL,
 * since workerd under Vitest cannot start the second Worker. Same accounts
 * and answers (src/backoffice/data.ts), same Idempotency-Key rule; in memory,
 * plus what the tests read and steer:
 * - `GET /_sample/stats`: requests per route;
 * - `GET /_sample/requests`: every request's method, path, key and body;
 * - `PUT /_sample/faults {failNext?, delayMs?}`, `DELETE /_sample/faults`;
 * - `DELETE /_sample/state`: forgets every request, write and fault.
 * The e2e tests run the real one (test/support/dev-server.ts, `backOffice`).
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import type { TestProject } from "vitest/node";
import { ACCOUNTS, invoicesOf, subscriptionOf } from "../../src/backoffice/data";

declare module "vitest" {
	export interface ProvidedContext {
		fakeBackOfficeUrl: string;
	}
}

type Seen = { method: string; path: string; idempotencyKey: string | null; body: unknown };

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
	const requests: Seen[] = [];
	const counts = new Map<string, number>();
	const replies = new Map<string, { request: string; status: number; body: unknown }>();
	const refunds = new Map<string, { id: string; invoiceId: string; reason: string; idempotencyKey: string; createdAt: string }[]>();
	let faults = { failNext: 0, delayMs: 0 };

	const server = createServer(async (request, response) => {
		const url = new URL(request.url ?? "/", "http://localhost");
		const text = await readBody(request);
		const body: unknown = text ? safeJson(text) : undefined;
		const send = (status: number, value: unknown) => {
			response
				.writeHead(status, { "Content-Type": status >= 400 ? "application/problem+json" : "application/json" })
				.end(JSON.stringify(value));
		};
		if (url.pathname === "/_sample/stats") return send(200, { requests: Object.fromEntries(counts) });
		if (url.pathname === "/_sample/requests") return send(200, { requests });
		if (url.pathname === "/_sample/state" && request.method === "DELETE") {
			// A test's own clean slate: no refunds, no remembered keys, no counts, no faults.
			requests.length = 0;
			counts.clear();
			replies.clear();
			refunds.clear();
			faults = { failNext: 0, delayMs: 0 };
			return send(200, {});
		}
		if (url.pathname === "/_sample/faults") {
			faults = request.method === "PUT" ? { failNext: 0, delayMs: 0, ...(body as object) } : { failNext: 0, delayMs: 0 };
			return send(200, faults);
		}
		const match = /^\/users\/([^/]+)(\/.*)?$/.exec(url.pathname);
		if (!match) return send(404, problem(404, "No such route."));
		const [, rawUser, rest = ""] = match;
		const route = `${request.method} /users/:id${rest.replace(/^\/invoices\/[^/]+\/resend$/, "/invoices/:invoiceId/resend")}`;
		counts.set(route, (counts.get(route) ?? 0) + 1);
		requests.push({ method: request.method ?? "", path: url.pathname, idempotencyKey: header(request, "idempotency-key"), body });
		if (faults.delayMs > 0) await new Promise((r) => setTimeout(r, faults.delayMs));
		if (faults.failNext > 0) {
			faults.failNext--;
			return send(503, problem(503, "Injected fault."));
		}
		const account = ACCOUNTS[decodeURIComponent(rawUser ?? "")];
		if (!account) return send(404, problem(404, "No such user."));
		const own = refunds.get(account.id) ?? [];
		if (request.method === "GET") {
			if (rest === "")
				return send(200, {
					id: account.id,
					name: account.name,
					email: account.email,
					plan: account.plan,
					billingCycle: account.billingCycle,
				});
			if (rest === "/subscription") return send(200, subscriptionOf(account));
			if (rest === "/invoices") return send(200, { invoices: invoicesOf(account, new Set(own.map((r) => r.invoiceId))) });
			if (rest === "/refunds") return send(200, { refunds: own });
			return send(404, problem(404, "No such route."));
		}
		const key = header(request, "idempotency-key");
		if (!key) return send(400, problem(400, "Writes need an Idempotency-Key header."));
		const seen = replies.get(key);
		if (seen) return seen.request === route ? send(seen.status, seen.body) : send(422, problem(422, "Key used for another request."));
		const answer = write(rest, account, own, body, key);
		replies.set(key, { request: route, ...answer });
		send(answer.status, answer.body);
	});

	function write(rest: string, account: (typeof ACCOUNTS)[string], own: { invoiceId: string }[], body: unknown, key: string) {
		const resend = /^\/invoices\/([^/]+)\/resend$/.exec(rest);
		if (resend) {
			if (!account?.invoices.some((i) => i.id === resend[1])) return { status: 404, body: problem(404, "No such invoice for this user.") };
			return { status: 202, body: { invoiceId: resend[1], sentTo: account.email, sentAt: new Date().toISOString() } };
		}
		if (rest !== "/refunds" || !account) return { status: 404, body: problem(404, "No such route.") };
		const { invoiceId, reason } = (body ?? {}) as { invoiceId?: string; reason?: string };
		const invoice = account.invoices.find((i) => i.id === invoiceId);
		if (!invoice || !reason) return { status: 404, body: problem(404, "No such invoice for this user.") };
		if (invoice.status !== "paid")
			return { status: 409, body: problem(409, "That invoice was never paid, so there is nothing to refund.") };
		if (own.some((r) => r.invoiceId === invoiceId)) return { status: 409, body: problem(409, "That invoice has already been refunded.") };
		const refund = {
			id: `rf_${refunds.size}_${own.length}`,
			invoiceId: invoice.id,
			reason,
			idempotencyKey: key,
			createdAt: new Date().toISOString(),
		};
		refunds.set(account.id, [...(refunds.get(account.id) ?? []), refund]);
		return { status: 201, body: refund };
	}

	await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
	project.provide("fakeBackOfficeUrl", `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
	return () => new Promise<void>((resolve) => server.close(() => resolve()));
}

async function readBody(request: IncomingMessage): Promise<string> {
	let body = "";
	for await (const chunk of request) body += chunk;
	return body;
}

function header(request: IncomingMessage, name: string): string | null {
	const value = request.headers[name];
	return typeof value === "string" ? value : null;
}

function safeJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

function problem(status: number, detail: string) {
	return { type: "about:blank", title: "Error", status, detail };
}
