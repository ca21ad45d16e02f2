/**
 * The transcript audit every fault test ends with (DESIGN invariants 1 and
 * 2): seqs gapless from 1, no message id twice, and every user message
 * answered exactly once, by an assistant reply or a visible `failed` notice.
 */
import { type ApiMessage, getMessages, type Session, sleep } from "./api";

export interface AuditResult {
	userMessages: number;
	answered: number;
	failed: number;
	/** Human-readable problems; empty when the transcript is sound. */
	problems: string[];
}

/** Every message of the session, read a page at a time. */
export async function fullTranscript(baseUrl: string, session: Session): Promise<ApiMessage[]> {
	const all: ApiMessage[] = [];
	for (;;) {
		const page = await getMessages(baseUrl, session, { after: all.at(-1)?.seq ?? 0, limit: 100 });
		all.push(...page.messages);
		if (!page.hasMore) return all;
	}
}

export function auditTranscript(messages: readonly ApiMessage[]): AuditResult {
	const problems: string[] = [];
	messages.forEach((m, i) => {
		if (m.seq !== i + 1) problems.push(`seq ${m.seq} at position ${i + 1}`);
	});
	const ids = new Set<string>();
	for (const m of messages) {
		if (ids.has(m.id)) problems.push(`id ${m.id} appears twice`);
		ids.add(m.id);
	}
	const users = messages.filter((m) => m.role === "user");
	let failed = 0;
	for (const user of users) {
		const replies = messages.filter((m) => m.role !== "user" && (m.replyTo ?? []).includes(user.id));
		if (replies.length !== 1) problems.push(`${user.id} (seq ${user.seq}) has ${replies.length} replies`);
		else if (replies[0]?.status === "failed") failed++;
		const reply = replies[0];
		if (reply && reply.seq < user.seq) problems.push(`${user.id} answered before it was asked`);
	}
	return { userMessages: users.length, answered: users.length - failed, failed, problems };
}

/** Audits many sessions and sums the results. */
export async function auditSessions(baseUrl: string, sessions: readonly Session[]): Promise<AuditResult> {
	const total: AuditResult = { userMessages: 0, answered: 0, failed: 0, problems: [] };
	for (const session of sessions) {
		const result = auditTranscript(await fullTranscript(baseUrl, session));
		total.userMessages += result.userMessages;
		total.answered += result.answered;
		total.failed += result.failed;
		total.problems.push(...result.problems.map((p) => `${session.sessionId}: ${p}`));
	}
	return total;
}

/** Whether every user message of the session has a reply yet. */
export function settled(messages: readonly ApiMessage[]): boolean {
	const users = messages.filter((m) => m.role === "user");
	return users.every((u) => messages.some((m) => m.role !== "user" && (m.replyTo ?? []).includes(u.id)));
}

/** The whole transcript once every user message has a reply, polled up to `timeoutMs` (then returned as it is). */
export async function settledTranscript(baseUrl: string, session: Session, timeoutMs: number): Promise<ApiMessage[]> {
	const deadline = Date.now() + timeoutMs;
	let messages = await fullTranscript(baseUrl, session);
	while (!settled(messages) && Date.now() < deadline) {
		await sleep(250);
		messages = await fullTranscript(baseUrl, session);
	}
	return messages;
}
