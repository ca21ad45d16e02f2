/**
 * k6's setup(): one untimed chat turn and one search before the clock
 * starts, so the first users do not pay one-time costs (module compilation,
 * the knowledge base seeding its sample articles on first start) that say
 * nothing about behaviour under load. Its failures are reported, not counted.
 */
import { ChatSocket, createSession } from "../lib/chat-client";
import { failureReason } from "./errors";
import { within } from "./sleep";

/** The warm-up comes out of the run's hard deadline, so it is capped well below the 60 s grace. */
const WARM_UP_MS = 15_000;

async function oneTurn(base: string): Promise<void> {
	const search = await fetch(`${base}/api/kb/search?q=refund`, { signal: AbortSignal.timeout(WARM_UP_MS) });
	await search.body?.cancel();
	const socket = await ChatSocket.connect(base, await createSession(base, WARM_UP_MS), 0, WARM_UP_MS);
	try {
		await socket.send("warm-up", "How do I reset my password?", WARM_UP_MS);
	} finally {
		socket.close();
	}
}

export async function warmUp(base: string, signal: AbortSignal): Promise<void> {
	const done = oneTurn(base).then(
		() => true,
		(error: unknown) => {
			console.warn(`warm-up failed (the run goes on): ${failureReason(error)}`);
			return true;
		},
	);
	if ((await within(done, WARM_UP_MS, signal)) === undefined) console.warn("warm-up did not finish in time (the run goes on)");
}
