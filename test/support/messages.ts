/** Transcript messages for turn tests: numbered from 1 per factory, citations given by article id. */
import type { Message } from "../../src/shared/schemas/message";

/**
 * @example const message = messageFactory(); message("user", "How do I reset my password?") // seq 1, id "m1"
 */
export function messageFactory(): (role: Message["role"], text: string, citations?: string[]) => Message {
	let seq = 0;
	return (role, text, citations) => ({
		seq: ++seq,
		id: `m${seq}`,
		role,
		text,
		createdAt: "2026-12-03T00:00:00.000Z",
		status: "complete",
		...(citations ? { citations: citations.map((id) => ({ id, title: id })) } : {}),
	});
}
