/**
 * The shared stream (issue 19, item 1): bursts of fresh sessions asking the
 * same question, not yet cached, at the same moment, against a server with
 * the realistic profile. One session's turn computes the answer; the others
 * follow its stream. Reports how far each follower's first delta lags the
 * burst's first (the owner's), and how many model calls the bursts cost,
 * counted by the fault switch (a 1 ms delay makes it count every call).
 * Each message's first delta is timed from its own POST; the burst's POSTs
 * leave together, so the lag includes the queue delivering them apart.
 */
import { ChatSocket, createSession } from "../load/lib/chat-client";
import { Latency, type Percentiles } from "../load/lib/histogram";
import { DEV_DEFAULTS } from "../src/shared/config";
import { faultStateSchema } from "../src/shared/schemas/responses";
import { QUESTIONS } from "./measure";

const ADMIN = { Authorization: `Bearer ${DEV_DEFAULTS.adminToken}`, "Content-Type": "application/json" };

export interface SharedStreamResult {
	bursts: number;
	sessionsPerBurst: number;
	/** The burst's first delta (the owner's), from the moment the messages were posted. */
	ownerFirstDeltaMs: Percentiles;
	/** Each follower's first delta after its burst's first. */
	followerLagMs: Percentiles;
	modelCalls: number;
	errors: number;
}

/**
 * @example const shared = await measureSharedStream(server.url, 3, 8);
 */
export async function measureSharedStream(url: string, bursts: number, sessionsPerBurst: number): Promise<SharedStreamResult> {
	await fetch(`${url}/api/admin/faults`, { method: "POST", headers: ADMIN, body: JSON.stringify({ aiDelayMs: 1 }) });
	const owners = new Latency();
	const lags = new Latency();
	let errors = 0;
	const tag = Date.now().toString(36);
	try {
		// The bursts run side by side (each on a question of its own), so the section costs one reply's time.
		await Promise.all(
			Array.from({ length: bursts }, async (_, b) => {
				const question = `${QUESTIONS[b % QUESTIONS.length]} (burst ${tag} ${b})`;
				const sockets = await Promise.all(
					Array.from({ length: sessionsPerBurst }, async () => ChatSocket.connect(url, await createSession(url))),
				);
				const timings = await Promise.all(sockets.map((socket, i) => socket.send(`s${b}_${i}_${tag}`, question, 30_000)));
				for (const socket of sockets) socket.close();
				const firsts = timings.flatMap((t) => (t.firstDeltaMs === undefined ? [] : [t.firstDeltaMs]));
				errors += timings.length - firsts.length;
				const owner = Math.min(...firsts);
				if (!Number.isFinite(owner)) return;
				owners.record(owner);
				const ownerAt = firsts.indexOf(owner);
				for (const [i, first] of firsts.entries()) if (i !== ownerAt) lags.record(first - owner);
			}),
		);
		const state = faultStateSchema.parse(await (await fetch(`${url}/api/admin/faults`, { headers: ADMIN })).json());
		return {
			bursts,
			sessionsPerBurst,
			ownerFirstDeltaMs: owners.summary(),
			followerLagMs: lags.summary(),
			modelCalls: state.calls,
			errors,
		};
	} finally {
		await fetch(`${url}/api/admin/faults`, { method: "DELETE", headers: ADMIN });
	}
}
