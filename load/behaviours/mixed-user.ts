/** The chat visitors of the `mixed` scenario, drawn by weight each iteration; ~20% of them lose their connection mid-conversation. */
import type { Behaviour, VuContext } from "../core/types";
import { complexConversation } from "./complex-conversation";
import { droppedConnection } from "./dropped-connection";
import { quickQuestion } from "./quick-question";

const MIX: readonly { weight: number; exec: Behaviour }[] = [
	{ weight: 0.45, exec: quickQuestion },
	{ weight: 0.35, exec: complexConversation },
	{ weight: 0.2, exec: droppedConnection },
];

export function mixedUser(ctx: VuContext): Promise<void> {
	let roll = Math.random();
	for (const { weight, exec } of MIX) {
		roll -= weight;
		if (roll < 0) return exec(ctx);
	}
	return quickQuestion(ctx);
}
