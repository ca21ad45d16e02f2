/**
 * The end-of-run proof of exactly-once delivery: every session's transcript
 * is fetched over HTTP and checked with auditTranscript against the ids its
 * users got 202 for; and for sessions that ran to their end, every committed
 * message must have reached one of the session's sockets exactly once
 * (live, or replayed after a reconnect with `?after=`).
 */
import { auditTranscript, transcript } from "../lib/chat-client";
import { failureReason } from "./errors";
import type { Metrics } from "./metrics";
import type { SessionRecord } from "./session-log";
import { sleep } from "./sleep";

export interface AuditResult {
	sessions: number;
	audited: number;
	lost: number;
	duplicated: number;
	gaps: number;
	undelivered: number;
	redelivered: number;
}

type Transcript = Awaited<ReturnType<typeof transcript>>;

/** Parallel transcript fetches: enough to finish quickly, few enough not to become a load test of their own. */
const CONCURRENCY = 4;
/** Replies to the last messages of the run may still be streaming; a lost reply gets this long to show up. */
const SETTLE_MS = 15_000;
const RETRY_MS = 1000;

/** Seqs in the transcript that no socket of a finished session received, and seqs received more than once. */
function delivery(record: SessionRecord, messages: Transcript): { undelivered: number; redelivered: number } {
	const seen = new Map<number, number>();
	let redelivered = 0;
	for (const socket of record.sockets) {
		redelivered += socket.duplicates;
		for (const seq of socket.seqs) seen.set(seq, (seen.get(seq) ?? 0) + 1);
	}
	redelivered += [...seen.values()].filter((count) => count > 1).length;
	const undelivered = messages.filter((m) => !seen.has(m.seq)).length;
	return { undelivered, redelivered };
}

async function auditOne(base: string, record: SessionRecord, settleUntil: number, signal: AbortSignal) {
	for (let attempt = 0; attempt < 60; attempt++) {
		const messages = await transcript(base, record.session);
		const result = auditTranscript(messages, record.accepted);
		if ((result.lost === 0 && result.gaps === 0) || performance.now() > settleUntil || signal.aborted) {
			return { ...result, ...(record.finished ? delivery(record, messages) : { undelivered: 0, redelivered: 0 }) };
		}
		await sleep(RETRY_MS, signal);
	}
	throw new Error("audit: too many attempts");
}

export async function auditSessions(
	base: string,
	records: readonly SessionRecord[],
	metrics: Metrics,
	signal: AbortSignal,
): Promise<AuditResult> {
	const total: AuditResult = { sessions: records.length, audited: 0, lost: 0, duplicated: 0, gaps: 0, undelivered: 0, redelivered: 0 };
	const settleUntil = performance.now() + SETTLE_MS;
	let next = 0;
	const worker = async () => {
		while (next < records.length && !signal.aborted) {
			const record = records[next++];
			if (!record) break;
			try {
				const result = await auditOne(base, record, settleUntil, signal);
				total.audited++;
				total.lost += result.lost;
				total.duplicated += result.duplicated;
				total.gaps += result.gaps;
				total.undelivered += result.undelivered;
				total.redelivered += result.redelivered;
				if (result.lost + result.duplicated + result.gaps + result.undelivered + result.redelivered > 0) {
					console.error(`audit: session ${record.session.sessionId} (${record.kind}): ${JSON.stringify(result)}`);
				}
			} catch (error) {
				console.error(`audit: session ${record.session.sessionId} could not be fetched: ${failureReason(error)}`);
			}
		}
	};
	await Promise.all(Array.from({ length: CONCURRENCY }, worker));
	for (const key of ["lost", "duplicated", "gaps", "undelivered", "redelivered"] as const) metrics.setResult(key, total[key]);
	metrics.setResult("unaudited", total.sessions - total.audited);
	return total;
}
