/**
 * The sample back office's one Durable Object: the accounts (read-only, in
 * data.ts), the writes (refunds, invoice resends) and the idempotency keys
 * that make a repeated write return the first result and change nothing
 * (CONTRACT §8). SQLite, so a write survives a SIGKILL of the dev server:
 * the acceptance check counts refunds after one.
 *
 * Also, for tests and demos only: request counts per route
 * (`GET /_sample/stats`) and injected faults (`PUT /_sample/faults`).
 */
import { DurableObject } from "cloudflare:workers";
import { Hono } from "hono";
import { z } from "zod";
import { ACCOUNTS, invoicesOf, type SampleAccount, subscriptionOf } from "./data";

export interface BackOfficeEnv {
	ACCOUNTS: DurableObjectNamespace<Accounts>;
}

const refundBodySchema = z.object({ invoiceId: z.string().min(1).max(64), reason: z.string().trim().min(1).max(500) }).strict();
const faultsSchema = z
	.object({ failNext: z.number().int().min(0).max(1000).default(0), delayMs: z.number().int().min(0).max(60_000).default(0) })
	.strict();
const idempotencyKeySchema = z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/);

type Stored = { status: number; body: unknown };

export class Accounts extends DurableObject<BackOfficeEnv> {
	readonly #sql: SqlStorage;
	#faults = { failNext: 0, delayMs: 0 };
	readonly #app = new Hono();

	constructor(ctx: DurableObjectState, env: BackOfficeEnv) {
		super(ctx, env);
		this.#sql = ctx.storage.sql;
		this.#sql.exec(`
			CREATE TABLE IF NOT EXISTS refunds (id TEXT PRIMARY KEY, user_id TEXT NOT NULL, invoice_id TEXT NOT NULL, reason TEXT NOT NULL, idempotency_key TEXT NOT NULL, created_at TEXT NOT NULL);
			CREATE TABLE IF NOT EXISTS resends (id TEXT PRIMARY KEY, user_id TEXT NOT NULL, invoice_id TEXT NOT NULL, idempotency_key TEXT NOT NULL, created_at TEXT NOT NULL);
			CREATE TABLE IF NOT EXISTS idempotency (key TEXT PRIMARY KEY, request TEXT NOT NULL, status INTEGER NOT NULL, body TEXT NOT NULL);
			CREATE TABLE IF NOT EXISTS requests (route TEXT PRIMARY KEY, count INTEGER NOT NULL);
		`);
		this.#routes();
	}

	override async fetch(request: Request): Promise<Response> {
		return this.#app.fetch(request);
	}

	#routes(): void {
		const app = this.#app;
		app.get("/_sample/stats", (c) => {
			const rows = this.#sql.exec<{ route: string; count: number }>("SELECT route, count FROM requests ORDER BY route").toArray();
			return c.json({ requests: Object.fromEntries(rows.map((r) => [r.route, r.count])) });
		});
		app.put("/_sample/faults", async (c) => {
			const parsed = faultsSchema.safeParse(await c.req.json().catch(() => undefined));
			if (!parsed.success) return problem(400, "Expected { failNext?, delayMs? }.");
			this.#faults = parsed.data;
			return c.json(this.#faults);
		});
		app.delete("/_sample/faults", (c) => {
			this.#faults = { failNext: 0, delayMs: 0 };
			return c.body(null, 204);
		});

		// Every account route is counted (in SQLite: the object may be evicted between requests), then may meet an injected fault.
		app.use("/users/*", async (c, next) => {
			const route = `${c.req.method} ${routeOf(c.req.path)}`;
			this.#sql.exec("INSERT INTO requests (route, count) VALUES (?, 1) ON CONFLICT (route) DO UPDATE SET count = count + 1", route);
			if (this.#faults.delayMs > 0) await scheduler.wait(this.#faults.delayMs);
			if (this.#faults.failNext > 0) {
				this.#faults.failNext--;
				return problem(503, "The back office is unavailable (an injected fault).");
			}
			await next();
		});
		app.get("/users/:id", (c) => {
			const account = ACCOUNTS[c.req.param("id")];
			if (!account) return problem(404, "No such user.");
			return c.json({ id: account.id, name: account.name, email: account.email, plan: account.plan, billingCycle: account.billingCycle });
		});
		app.get("/users/:id/subscription", (c) => {
			const account = ACCOUNTS[c.req.param("id")];
			if (!account) return problem(404, "No such user.");
			return c.json(subscriptionOf(account));
		});
		app.get("/users/:id/invoices", (c) => {
			const account = ACCOUNTS[c.req.param("id")];
			if (!account) return problem(404, "No such user.");
			return c.json({ invoices: this.#invoicesOf(account) });
		});
		app.get("/users/:id/refunds", (c) => {
			const account = ACCOUNTS[c.req.param("id")];
			if (!account) return problem(404, "No such user.");
			return c.json({ refunds: this.#refundsOf(account.id) });
		});
		app.post("/users/:id/invoices/:invoiceId/resend", (c) =>
			this.#once(c.req.raw, () => {
				const account = ACCOUNTS[c.req.param("id")];
				if (!account) return { status: 404, body: problemBody(404, "No such user.") };
				const invoiceId = c.req.param("invoiceId");
				if (!account.invoices.some((i) => i.id === invoiceId))
					return { status: 404, body: problemBody(404, "No such invoice for this user.") };
				const sentAt = new Date().toISOString();
				const key = c.req.header("Idempotency-Key") ?? "";
				this.#sql.exec("INSERT INTO resends VALUES (?, ?, ?, ?, ?)", crypto.randomUUID(), account.id, invoiceId, key, sentAt);
				return { status: 202, body: { invoiceId, sentTo: account.email, sentAt } };
			}),
		);
		app.post("/users/:id/refunds", async (c) => {
			const body = refundBodySchema.safeParse(
				await c.req.raw
					.clone()
					.json()
					.catch(() => undefined),
			);
			return this.#once(c.req.raw, () => {
				const account = ACCOUNTS[c.req.param("id")];
				if (!account) return { status: 404, body: problemBody(404, "No such user.") };
				if (!body.success) return { status: 400, body: problemBody(400, "Expected { invoiceId, reason }.") };
				const { invoiceId, reason } = body.data;
				const invoice = account.invoices.find((i) => i.id === invoiceId);
				if (!invoice) return { status: 404, body: problemBody(404, "No such invoice for this user.") };
				if (invoice.status !== "paid")
					return { status: 409, body: problemBody(409, "That invoice was never paid, so there is nothing to refund.") };
				if (this.#refundsOf(account.id).some((r) => r.invoiceId === invoiceId)) {
					return { status: 409, body: problemBody(409, "That invoice has already been refunded.") };
				}
				const refund = {
					id: `rf_${crypto.randomUUID().slice(0, 8)}`,
					invoiceId,
					reason,
					idempotencyKey: c.req.header("Idempotency-Key") ?? "",
					createdAt: new Date().toISOString(),
				};
				this.#sql.exec(
					"INSERT INTO refunds VALUES (?, ?, ?, ?, ?, ?)",
					refund.id,
					account.id,
					invoiceId,
					reason,
					refund.idempotencyKey,
					refund.createdAt,
				);
				return { status: 201, body: refund };
			});
		});
		app.notFound(() => problem(404, "No such route."));
		app.onError(() => problem(500, "The back office failed."));
	}

	/**
	 * Runs a write once per `Idempotency-Key` (required): a key seen before returns the first
	 * result, whatever the request says now, and changes nothing. No await inside, so two
	 * requests with one key cannot both run it.
	 */
	#once(request: Request, write: () => Stored): Response {
		const key = idempotencyKeySchema.safeParse(request.headers.get("Idempotency-Key"));
		if (!key.success) return problem(400, "Writes need an Idempotency-Key header (1 to 128 of A-Z a-z 0-9 _ . : -).");
		const what = `${request.method} ${new URL(request.url).pathname}`;
		const seen = this.#sql
			.exec<{ request: string; status: number; body: string }>("SELECT request, status, body FROM idempotency WHERE key = ?", key.data)
			.toArray()[0];
		if (seen) {
			if (seen.request !== what) return problem(422, "That Idempotency-Key was used for another request.");
			return new Response(seen.body, {
				status: seen.status,
				headers: { "Content-Type": contentType(seen.status), "Idempotent-Replayed": "true" },
			});
		}
		const result = write();
		const text = JSON.stringify(result.body);
		this.#sql.exec("INSERT INTO idempotency VALUES (?, ?, ?, ?)", key.data, what, result.status, text);
		return new Response(text, { status: result.status, headers: { "Content-Type": contentType(result.status) } });
	}

	#invoicesOf(account: SampleAccount) {
		return invoicesOf(account, new Set(this.#refundsOf(account.id).map((r) => r.invoiceId)));
	}

	#refundsOf(userId: string) {
		return this.#sql
			.exec<{ id: string; invoice_id: string; reason: string; idempotency_key: string; created_at: string }>(
				"SELECT id, invoice_id, reason, idempotency_key, created_at FROM refunds WHERE user_id = ? ORDER BY created_at",
				userId,
			)
			.toArray()
			.map((r) => ({ id: r.id, invoiceId: r.invoice_id, reason: r.reason, idempotencyKey: r.idempotency_key, createdAt: r.created_at }));
	}
}

/** The route a path matched, without its ids: `/users/usr_ada/invoices` → `/users/:id/invoices`. */
function routeOf(path: string): string {
	return path.replace(/^\/users\/[^/]+/, "/users/:id").replace(/\/invoices\/[^/]+\/resend$/, "/invoices/:invoiceId/resend");
}

function contentType(status: number): string {
	return status >= 400 ? "application/problem+json" : "application/json";
}

function problemBody(status: number, detail: string) {
	return { type: "about:blank", title: status === 404 ? "Not Found" : status === 409 ? "Conflict" : "Bad Request", status, detail };
}

function problem(status: number, detail: string): Response {
	return new Response(JSON.stringify(problemBody(status, detail)), { status, headers: { "Content-Type": "application/problem+json" } });
}
