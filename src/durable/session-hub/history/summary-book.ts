/**
 * The hub's side of summarization: keeping its entry in the summary registry
 * in step with its transcript, handing the summarize consumer the messages a
 * new summary must cover, and storing the result idempotently. Registration
 * is lazy: the registry may hold an earlier due time than the true one (a
 * session that kept talking); the hub corrects it when the cron offers it
 * early, so a busy session costs one registry call per summary, not one per
 * message.
 */
import { createCache } from "../../../shared/cache";
import type { Message } from "../../../shared/schemas/message";
import { registryShardName, SUMMARY_POLICY, summaryDueAt } from "../../../shared/schemas/summary";
import { summaryRegistry } from "../../../shared/stubs";
import { summaryCacheKey } from "../../../shared/summary/cached";
import type { SessionStore } from "../session-store";
import type { History } from "./history";

/** What the summarize consumer gets from a hub. */
export type SummaryWork =
	| { kind: "gone" }
	| { kind: "not_due"; dueAt: number | null }
	| { kind: "work"; previous: string | null; previousThroughSeq: number; messages: Message[] };

export interface StoreSummaryResult {
	stored: boolean;
	gone: boolean;
	more: boolean;
}

export class SummaryBook {
	readonly #store: SessionStore;
	readonly #history: History;
	readonly #env: () => Env;

	constructor(store: SessionStore, history: History, env: () => Env) {
		this.#store = store;
		this.#history = history;
		this.#env = env;
	}

	/**
	 * After a message was appended: registers the session when it newly needs a
	 * summary, or needs one sooner than the registry thinks. Undefined when it
	 * needs neither, which is almost every message: then there is nothing to keep
	 * the object alive for. A missed registration is retried with the next message.
	 */
	track(): Promise<void> | undefined {
		const session = this.#store.session();
		if (!session) return undefined;
		const due = summaryDueAt(this.#state(session));
		if (due === null || (session.summaryDueAt !== null && session.summaryDueAt <= due)) return undefined;
		return this.#register(session.id, due);
	}

	/** The messages the next summary covers, or why there is nothing to do now (re-registering as needed). */
	async work(now: number): Promise<SummaryWork> {
		const session = this.#store.session();
		if (!session) return { kind: "gone" };
		const due = summaryDueAt(this.#state(session));
		if (due === null || due > now) {
			await this.#register(session.id, due);
			return { kind: "not_due", dueAt: due };
		}
		const previousThroughSeq = session.summaryThroughSeq ?? 0;
		const messages = await this.#history.read(session.id, previousThroughSeq, SUMMARY_POLICY.messagesPerJob);
		return { kind: "work", previous: session.summary, previousThroughSeq, messages };
	}

	/**
	 * Stores a summary through `throughSeq` unless one as new is already
	 * stored (a redelivered or stale job changes nothing), and registers
	 * whatever is left to summarize. `more` says another summary is due now
	 * (a backlog longer than one job): the consumer chains the next job rather
	 * than leave it to the next cron run.
	 */
	async store(text: string, throughSeq: number): Promise<StoreSummaryResult> {
		const session = this.#store.session();
		if (!session) return { stored: false, gone: true, more: false };
		if (throughSeq > this.#store.lastSeq() || !this.#store.storeSummary(text, throughSeq)) {
			return { stored: false, gone: false, more: false };
		}
		const stored = this.#store.session();
		if (!stored) return { stored: true, gone: false, more: false };
		const due = summaryDueAt(this.#state(stored));
		await this.#register(stored.id, due);
		return { stored: true, gone: false, more: due !== null && due <= Date.now() };
	}

	/** Forgets the session everywhere summarization keeps it: the registry and the cache. */
	async erase(sessionId: string): Promise<void> {
		const env = this.#env();
		await this.#registry(sessionId).remove(sessionId);
		await createCache(env).delete(await summaryCacheKey(sessionId));
	}

	async #register(sessionId: string, due: number | null): Promise<void> {
		const registry = this.#registry(sessionId);
		if (due === null) await registry.remove(sessionId);
		else await registry.register({ sessionId, dueAt: due });
		this.#store.setSummaryDueAt(due);
	}

	#registry(sessionId: string) {
		return summaryRegistry(this.#env(), registryShardName(sessionId));
	}

	#state(session: { summaryThroughSeq: number | null; lastActivityAt: number }) {
		return { lastSeq: this.#store.lastSeq(), summaryThroughSeq: session.summaryThroughSeq ?? 0, lastActivityAt: session.lastActivityAt };
	}
}
