/**
 * The load suite's transcript audit (load/lib/chat-client.ts): exactly once, and a conversation
 * handed to people (CONTRACT §7) is not a loss when the assistant stays silent after the notice.
 */
import { describe, expect, it } from "vitest";
import { auditTranscript } from "../../load/lib/chat-client";
import { HANDOFF_TEXT } from "../../src/shared/text/person-request";

const user = (seq: number, id: string) => ({ seq, id, role: "user" });
const reply = (seq: number, ...replyTo: string[]) => ({ seq, id: `r${seq}`, role: "assistant", replyTo });

describe("auditTranscript", () => {
	it("counts an unanswered message as lost, an answered one not, and a message twice as duplicated", () => {
		expect(auditTranscript([user(1, "a"), reply(2, "a"), user(3, "b")], ["a", "b"])).toEqual({ lost: 1, duplicated: 0, gaps: 0 });
		expect(auditTranscript([user(1, "a"), reply(2, "a"), reply(3, "a")], ["a"])).toMatchObject({ duplicated: 1 });
	});

	it("leaves messages after the handoff notice to people, and still counts a silence before it", () => {
		const messages = [
			user(1, "a"),
			reply(2, "a"),
			{ seq: 3, id: "n", role: "system", text: HANDOFF_TEXT, replyTo: [] },
			user(4, "b"),
			user(5, "c"),
		];
		expect(auditTranscript(messages, ["a", "b", "c"])).toEqual({ lost: 0, duplicated: 0, gaps: 0 });
		expect(auditTranscript([user(1, "x"), ...messages.map((m) => ({ ...m, seq: m.seq + 1 }))], ["x", "a", "b"]).lost).toBe(1);
	});
});
