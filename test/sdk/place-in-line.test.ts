/**
 * A turn waiting for model capacity (CONTRACT §4 `position`, `etaSeconds`):
 * the SDK's transcript keeps its place and estimate while it is `queued`,
 * forgets them once it is admitted, and the widget says it in words.
 */
import { describe, expect, it } from "vitest";
import { lineLabel } from "../../src/client/line-label";
import { Transcript } from "../../src/sdk/transcript";

describe("a turn's place in line", () => {
	it("is held while the turn is queued for the model, updated as it moves, and dropped once it is thinking", () => {
		const transcript = new Transcript();
		transcript.setStatus("turn_1", "queued", ["m1"]);
		expect(transcript.reply("turn_1")?.line).toBeUndefined();
		transcript.setStatus("turn_1", "thinking", ["m1"]);
		transcript.setStatus("turn_1", "queued", ["m1"], { position: 3, etaSeconds: 20 });
		expect(transcript.reply("turn_1")).toMatchObject({ state: "queued", line: { position: 3, etaSeconds: 20 } });
		transcript.setStatus("turn_1", "queued", ["m1"], { position: 1, etaSeconds: 4 });
		expect(transcript.reply("turn_1")?.line).toEqual({ position: 1, etaSeconds: 4 });
		transcript.setStatus("turn_1", "thinking", ["m1"]);
		expect(transcript.reply("turn_1")).toMatchObject({ state: "thinking" });
		expect(transcript.reply("turn_1")?.line).toBeUndefined();
	});

	it("reads as a person would say it", () => {
		expect(lineLabel({ position: 3, etaSeconds: 20 })).toBe("You're #3 in line, about 20 s");
		expect(lineLabel({ position: 1, etaSeconds: 0 })).toBe("You're #1 in line, about 1 s");
		expect(lineLabel({ position: 40, etaSeconds: 150 })).toBe("You're #40 in line, about 3 min");
	});
});
