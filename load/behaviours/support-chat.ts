/** A typical visitor: a question, then one or two follow-ups, reading each answer before typing the next. */
import { pick } from "../core/sleep";
import type { VuContext } from "../core/types";
import { ask, finishConversation, startConversation } from "./conversation";
import { FOLLOW_UPS, QUICK_QUESTIONS } from "./questions";
import { think } from "./think";

export async function supportChat(ctx: VuContext): Promise<void> {
	const conversation = await startConversation(ctx, "chat");
	if (!conversation) return;
	const followUps = 1 + Math.floor(Math.random() * 2);
	await ask(ctx, conversation, pick(QUICK_QUESTIONS));
	for (let i = 0; i < followUps; i++) {
		await think(ctx);
		await ask(ctx, conversation, pick(FOLLOW_UPS));
	}
	await finishConversation(ctx, conversation);
}
