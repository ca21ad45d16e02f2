import { describe, expect, it } from "vitest";
import { newId } from "../../src/shared/ids";

describe("newId", () => {
	it("is the prefix, an underscore and 20 base62 characters, within the contract's id pattern", () => {
		expect(newId("msg")).toMatch(/^msg_[0-9A-Za-z]{20}$/);
		expect(newId("turn", 8)).toMatch(/^turn_[0-9A-Za-z]{8}$/);
	});

	it("never repeats, across many refills of its pool of random bytes", () => {
		const ids = Array.from({ length: 5000 }, () => newId("msg"));
		expect(new Set(ids).size).toBe(ids.length);
		// Every character of the alphabet turns up: the bytes are used, not a constant.
		expect(new Set(ids.join("").replaceAll("msg_", "")).size).toBe(62);
	});
});
