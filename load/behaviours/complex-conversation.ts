/**
 * A user who explains their problem in 2-3 messages typed in quick
 * succession, sometimes twice. The product may answer a burst with ONE
 * reply whose replyTo lists every message of it; that is correct, so each
 * message's time is POST → the reply that lists it (target p95 < 5 s).
 */
import { between, pick, sleep } from "../core/sleep";
import type { VuContext } from "../core/types";
import { ask, type Conversation, finishConversation, startConversation } from "./conversation";
import { COMPLEX_THREADS, FOLLOW_UPS } from "./questions";
import { BURST_GAP_MS, think } from "./think";

async function burst(ctx: VuContext, conversation: Conversation, texts: readonly string[]): Promise<void> {
	const replies = [];
	for (const text of texts) {
		replies.push(ask(ctx, conversation, text, "complexResponse"));
		await sleep(between(...BURST_GAP_MS), ctx.signal);
	}
	const timings = await Promise.all(replies);
	// How often a burst was answered together shows the coalescing at work (informative).
	const replySeqs = timings.flatMap((t) => (t?.replySeq === undefined ? [] : [t.replySeq]));
	ctx.metrics.add("burstMessages", texts.length);
	ctx.metrics.add("burstReplies", new Set(replySeqs).size);
}

export async function complexConversation(ctx: VuContext): Promise<void> {
	const conversation = await startConversation(ctx, "complex");
	if (!conversation) return;
	await burst(ctx, conversation, pick(COMPLEX_THREADS));
	if (Math.random() < 0.5) {
		await think(ctx);
		await burst(ctx, conversation, [pick(FOLLOW_UPS), pick(FOLLOW_UPS)]);
	}
	await finishConversation(ctx, conversation);
}
