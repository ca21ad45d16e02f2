/**
 * Every model call waits its turn at the admission gate (the AdmissionGate
 * Durable Object) before it reaches the provider, so a burst of traffic
 * queues in order instead of meeting the provider's rate limit as 429s and
 * retries. Answer-cache hits and turns that join another's stream never call
 * the provider, so they never wait. While a call waits, `watcher` hears its
 * place and estimate (the hub turns them into `queued` frames). A 429 that
 * gets through anyway shrinks the gate's budget, and the call waits in line
 * again instead of failing its turn, a few times at most.
 */
import { describeError, isRateLimited } from "../errors";
import { openedStream } from "./opened-stream";
import type { AiProvider, CompletionRequest } from "./provider";

/**
 * What the gate answers: a grant, or the caller's place (1 = next) and an
 * estimate in seconds; either way `readyAt`, the gate's stamp of when the
 * caller first arrived, which the caller sends back with every later poll.
 */
export type AdmissionPlace =
	| { granted: true; readyAt: number; spare?: number }
	| { granted: false; readyAt: number; position: number; etaSeconds: number };

/**
 * Spare grants: when the line is empty and the window has plenty of room, the gate grants a
 * caller up to SPARE_WANT - 1 more calls, for its isolate to spend within SPARE_MS without asking
 * again. Each is counted in the gate's window as if made SPARE_MS after it was granted, so the
 * provider never sees more than the limit in any window however they are spent; at most
 * SPARE_MS of them is lost when an isolate does not need them. A busy isolate then asks the gate
 * once every few calls instead of before every one (a round trip to another object that the
 * first token waited for: bench/overhead.ts, docs/benchmarks.md).
 */
export const SPARE_WANT = 8;
export const SPARE_MS = 1_000;

/**
 * An isolate spending its spares asks for more once it holds this many or fewer, in the
 * background, so a busy isolate's calls never wait for the gate (each ask was a round trip on the
 * first token's path for one turn in SPARE_WANT: bench/overhead.ts, docs/benchmarks.md). Only
 * spending restocks, so an idle isolate holds none past SPARE_MS.
 */
export const RESTOCK_AT = SPARE_WANT / 2;

/** This isolate's spare grants, shared by every call it makes: batches, oldest first, each spendable until its own moment. */
const spares: { count: number; until: number }[] = [];
/**
 * When this isolate last asked for more spares, until the answer came. A time, not a flag: an ask
 * made in a request that ended (a stateless Worker's) may never settle, and must not stop
 * restocking for good.
 */
let restockAskedAt = Number.NEGATIVE_INFINITY;

/** The gate as a call sees it (the Durable Object's stub, or a fake in tests). */
export interface AdmissionPort {
	/** `readyAt` is the stamp the gate gave this call (or an earlier call of the same turn); unset on a first call. */
	wait(input: { ticket: string; readyAt?: number; position?: number; continuation?: boolean; want?: number }): Promise<AdmissionPlace>;
	leave(ticket: string): Promise<void>;
	throttled(): Promise<void>;
	/** Up to `want` spare grants without joining the line; none while anyone waits. */
	stock(want: number): Promise<{ spare: number }>;
}

export interface AdmissionWatcher {
	/** The call waits at `position` (1 = next), about `etaSeconds` from now; said again whenever either changes. */
	waiting(position: number, etaSeconds: number): void;
	/** The call may go to the provider, `waitedMs` after it first asked. */
	admitted(waitedMs: number): void;
}

/** Times a call re-enters the line after a 429 before its turn fails (transiently) as before. */
export const MAX_RATE_LIMITED_RETRIES = 3;

/**
 * Places are first come, first served in the order calls reach the gate (its
 * own clock stamps each on arrival, so the hubs' clocks never decide it).
 * Every call after the first (a small model's decline handed to the large
 * one, a call after a 429) is a continuation: it carries the turn's first
 * stamp and is served ahead of new turns rather than at the back of the line.
 * @example const provider = withAdmission(turnProvider(env), admissionGate(env), { waiting: (p, eta) => …, admitted: (ms) => … })
 */
export function withAdmission(provider: AiProvider, gate: AdmissionPort, watcher?: AdmissionWatcher): AiProvider {
	let calls = 0;
	const turn: { readyAt?: number } = {};
	return {
		...provider,
		// Only the first chunk is awaited here: after it, the caller reads the provider's stream itself (opened-stream.ts).
		stream: (request: CompletionRequest) =>
			openedStream(async () => {
				for (let refusals = 0; ; refusals++) {
					await admit(gate, turn, calls++ > 0, request.signal, watcher);
					const chunks = provider.stream(request)[Symbol.asyncIterator]();
					try {
						return { chunks, first: await chunks.next() };
					} catch (error) {
						// Once text went out the call cannot be replayed here; before that, a 429 means "wait your turn again".
						if (!isRateLimited(error) || refusals >= MAX_RATE_LIMITED_RETRIES) throw error;
						await gate.throttled().catch(() => undefined);
					}
				}
			}),
	};
}

/** Waits in line until granted. If the gate cannot be reached the call goes ahead: the provider's own limit is the backstop. */
async function admit(
	gate: AdmissionPort,
	turn: { readyAt?: number },
	continuation: boolean,
	signal: AbortSignal | undefined,
	watcher: AdmissionWatcher | undefined,
): Promise<void> {
	const asked = Date.now();
	if (takeSpare(asked)) {
		watcher?.admitted(0);
		restock(gate, asked);
		return;
	}
	const ticket = crypto.randomUUID();
	let position: number | undefined;
	let eta: number | undefined;
	try {
		for (;;) {
			signal?.throwIfAborted();
			const polled = Date.now();
			const place = await gate.wait({
				ticket,
				continuation,
				want: SPARE_WANT,
				...(turn.readyAt === undefined ? {} : { readyAt: turn.readyAt }),
				...(position === undefined ? {} : { position }),
			});
			turn.readyAt ??= place.readyAt;
			if (place.granted) {
				// Counted from before this poll: the gate counted them from its own later moment, so they expire here first.
				if (place.spare) spares.push({ count: place.spare, until: polled + SPARE_MS });
				break;
			}
			if (place.position !== position || place.etaSeconds !== eta) watcher?.waiting(place.position, place.etaSeconds);
			position = place.position;
			eta = place.etaSeconds;
		}
	} catch (error) {
		if (signal?.aborted) {
			await gate.leave(ticket).catch(() => undefined);
			throw error;
		}
		console.error(JSON.stringify({ event: "admission_unavailable", error: describeError(error) }));
	}
	watcher?.admitted(Date.now() - asked);
}

/** Spends one of this isolate's spares, the soonest to expire first; false when none is left. */
function takeSpare(now: number): boolean {
	while (spares[0] && (spares[0].count === 0 || spares[0].until <= now)) spares.shift();
	const batch = spares[0];
	if (!batch) return false;
	batch.count--;
	return true;
}

/** Asks for more spares in the background once RESTOCK_AT or fewer are left; one ask at a time. */
function restock(gate: AdmissionPort, now: number): void {
	const left = spares.reduce((sum, batch) => sum + (batch.until > now ? batch.count : 0), 0);
	if (now - restockAskedAt < SPARE_MS || left > RESTOCK_AT) return;
	restockAskedAt = now;
	gate
		.stock(SPARE_WANT)
		.then(({ spare }) => {
			// Counted from before the ask, as a grant's spares are: the gate counted them from its own later moment.
			if (spare > 0) spares.push({ count: spare, until: now + SPARE_MS });
		})
		.catch((error: unknown) => console.warn(JSON.stringify({ event: "admission_restock_failed", error: describeError(error) })))
		.finally(() => {
			restockAskedAt = Number.NEGATIVE_INFINITY;
		});
}
