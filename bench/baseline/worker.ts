/**
 * The bare baseline for the benchmarks: ingress → queue → consumer →
 * Durable Object → WebSocket push, speaking the same frames as the product
 * (valid by the contract's schemas, which the load client checks), with none
 * of its logic (no auth, no validation, no knowledge base, no
 * prompt, no sanitizer, no coalescing). Like the product, the consumer
 * hands each message to its session's Durable Object, which streams a fixed
 * reply of the product's typical length in the local provider's chunk size
 * and pacing (first chunk, then the rest), and the consumer acks at once.
 */
import { DurableObject } from "cloudflare:workers";

interface BareEnv {
	BARE_HUB: DurableObjectNamespace<BareHub>;
	BARE_QUEUE: Queue<{ sessionId: string; messageId: string }>;
	LOCAL_AI_CHUNK_DELAY_MS: string;
	/** The pause before the first chunk; the chunk delay when unset. */
	LOCAL_AI_FIRST_CHUNK_DELAY_MS?: string;
	BARE_REPLY_CHARS: string;
	/** JSON: the product's answer length for each question the bench asks; BARE_REPLY_CHARS for others. */
	BARE_REPLY_LENGTHS?: string;
	/** JSON: the same as a session's first turn, which the product answers from its canonical question alone. */
	BARE_FIRST_REPLY_LENGTHS?: string;
}

/** Filler for replies, as long as the product's answer (BARE_REPLY_LENGTHS), else its median (BARE_REPLY_CHARS). */
const FILLER = "Brightdesk keeps every invoice and receipt under Settings, Billing, Invoices, where owners can download each one. ";
const CHUNK = 16;

interface Row {
	seq: number;
	id: string;
	role: string;
	text: string;
	createdAt: string;
	status: "complete";
	replyTo?: string[];
}

export class BareHub extends DurableObject<BareEnv> {
	constructor(ctx: DurableObjectState, env: BareEnv) {
		super(ctx, env);
		ctx.storage.sql.exec(
			"CREATE TABLE IF NOT EXISTS messages_v2 (seq INTEGER PRIMARY KEY, id TEXT UNIQUE, role TEXT, text TEXT, reply_to TEXT, created_at TEXT)",
		);
		ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('{"type":"ping"}', '{"type":"pong"}'));
	}

	async accept(id: string, text: string): Promise<number> {
		const createdAt = new Date().toISOString();
		const seq = this.#append(id, "user", text, null, createdAt);
		this.#broadcast({ type: "message", seq, id, role: "user", text, createdAt, status: "complete" });
		await this.env.BARE_QUEUE.send({ sessionId: this.ctx.id.toString(), messageId: id });
		return seq;
	}

	/** Starts streaming the reply to `messageId` and returns at once, as the product's hub does. */
	run(messageId: string): void {
		this.ctx.waitUntil(this.#stream(messageId));
	}

	async #stream(messageId: string): Promise<void> {
		const delay = Number(this.env.LOCAL_AI_CHUNK_DELAY_MS);
		const firstDelay = Number(this.env.LOCAL_AI_FIRST_CHUNK_DELAY_MS ?? delay);
		const row = this.ctx.storage.sql
			.exec<{ text: string; seq: number }>("SELECT text, seq FROM messages_v2 WHERE id = ?", messageId)
			.toArray()[0];
		const asked = row?.text;
		const first = row?.seq === 1 ? this.#lengths().first[asked ?? ""] : undefined;
		const length = first || (asked && this.#lengths().later[asked]) || Number(this.env.BARE_REPLY_CHARS) || 480;
		const reply = FILLER.repeat(Math.ceil(length / FILLER.length)).slice(0, length);
		const turn = `t_${messageId}`;
		for (let offset = 0; offset < reply.length; offset += CHUNK) {
			const pause = offset === 0 ? firstDelay : delay;
			if (pause > 0) await scheduler.wait(pause);
			this.delta(turn, offset, reply.slice(offset, offset + CHUNK), messageId);
		}
		this.complete(messageId, reply);
	}

	delta(turn: string, offset: number, text: string, replyTo: string): void {
		if (offset === 0) this.#broadcast({ type: "status", turn, state: "streaming", replyTo: [replyTo] });
		this.#broadcast({ type: "delta", turn, offset, text });
	}

	complete(replyTo: string, text: string): void {
		const id = `r_${replyTo}`;
		const createdAt = new Date().toISOString();
		const seq = this.#append(id, "assistant", text, replyTo, createdAt);
		this.#broadcast({ type: "message", seq, id, role: "assistant", text, createdAt, status: "complete", replyTo: [replyTo] });
	}

	list(after: number): Row[] {
		return this.ctx.storage.sql
			.exec<{ seq: number; id: string; role: string; text: string; reply_to: string | null; created_at: string }>(
				"SELECT * FROM messages_v2 WHERE seq > ? ORDER BY seq LIMIT 101",
				after,
			)
			.toArray()
			.map((r) => ({
				seq: r.seq,
				id: r.id,
				role: r.role,
				text: r.text,
				createdAt: r.created_at,
				status: "complete" as const,
				...(r.reply_to ? { replyTo: [r.reply_to] } : {}),
			}));
	}

	override async fetch(request: Request): Promise<Response> {
		const after = Number(new URL(request.url).searchParams.get("after") ?? 0);
		const [client, server] = Object.values(new WebSocketPair()) as [WebSocket, WebSocket];
		this.ctx.acceptWebSocket(server);
		const rows = this.list(after);
		server.send(JSON.stringify({ type: "ready", sessionId: this.ctx.id.toString(), lastSeq: after + rows.length }));
		for (const row of rows) server.send(JSON.stringify({ type: "message", ...row }));
		return new Response(null, { status: 101, webSocket: client, headers: { "Sec-WebSocket-Protocol": "chat.v1" } });
	}

	#append(id: string, role: string, text: string, replyTo: string | null, createdAt: string): number {
		const seq = (this.ctx.storage.sql.exec<{ n: number | null }>("SELECT MAX(seq) AS n FROM messages_v2").one().n ?? 0) + 1;
		this.ctx.storage.sql.exec("INSERT INTO messages_v2 VALUES (?, ?, ?, ?, ?, ?)", seq, id, role, text, replyTo, createdAt);
		return seq;
	}

	#lengthsByQuestion: { first: Record<string, number>; later: Record<string, number> } | undefined;
	#lengths(): { first: Record<string, number>; later: Record<string, number> } {
		this.#lengthsByQuestion ??= {
			first: JSON.parse(this.env.BARE_FIRST_REPLY_LENGTHS || "{}") as Record<string, number>,
			later: JSON.parse(this.env.BARE_REPLY_LENGTHS || "{}") as Record<string, number>,
		};
		return this.#lengthsByQuestion;
	}

	#broadcast(frame: object): void {
		const text = JSON.stringify(frame);
		for (const ws of this.ctx.getWebSockets()) ws.send(text);
	}
}

function hub(env: BareEnv, sessionId: string) {
	return env.BARE_HUB.get(env.BARE_HUB.idFromString(sessionId));
}

export default {
	async fetch(request, env) {
		const url = new URL(request.url);
		const parts = url.pathname.split("/").filter(Boolean); // api, sessions, :id, (messages|ws)
		if (request.method === "POST" && url.pathname === "/api/sessions") {
			return Response.json(
				{ sessionId: env.BARE_HUB.newUniqueId().toString(), token: "bare", expiresAt: new Date(Date.now() + 86_400_000).toISOString() },
				{ status: 201 },
			);
		}
		if (url.pathname === "/api/health") return Response.json({ status: "ok" });
		const sessionId = parts[2] ?? "";
		if (parts[3] === "ws") return hub(env, sessionId).fetch(request);
		if (parts[3] === "messages" && request.method === "POST") {
			const body = (await request.json()) as { id: string; text: string };
			const seq = await hub(env, sessionId).accept(body.id, body.text);
			return Response.json({ messageId: body.id, seq, status: "queued", duplicate: false }, { status: 202 });
		}
		if (parts[3] === "messages") {
			const messages = await hub(env, sessionId).list(Number(url.searchParams.get("after") ?? 0));
			return Response.json({ messages: messages.slice(0, 100), lastSeq: 0, hasMore: messages.length > 100 });
		}
		return new Response("not found", { status: 404 });
	},

	async queue(batch, env) {
		await Promise.all(
			batch.messages.map(async (message) => {
				await hub(env, message.body.sessionId).run(message.body.messageId);
				message.ack();
			}),
		);
	},
} satisfies ExportedHandler<BareEnv, { sessionId: string; messageId: string }>;
