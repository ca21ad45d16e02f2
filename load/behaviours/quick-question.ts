/** One question, one answer, gone: the bulk of a help widget's traffic (target p95 < 2 s). */
import { pick } from "../core/sleep";
import type { VuContext } from "../core/types";
import { ask, finishConversation, startConversation } from "./conversation";
import { QUICK_QUESTIONS } from "./questions";

export async function quickQuestion(ctx: VuContext): Promise<void> {
	const conversation = await startConversation(ctx, "quick");
	if (!conversation) return;
	await ask(ctx, conversation, pick(QUICK_QUESTIONS), "quickResponse");
	await finishConversation(ctx, conversation);
}
