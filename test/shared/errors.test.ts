import { describe, expect, it } from "vitest";
import { backoffSeconds, describeError, isTransient, PermanentError, redactSecrets, TransientError } from "../../src/shared/errors";

describe("isTransient", () => {
	it("treats Workers AI capacity and rate-limit errors as transient", () => {
		expect(isTransient(new Error("3040: Capacity temporarily exceeded, please try again."))).toBe(true);
		expect(isTransient(new Error("AiError: 3036: Rate limited"))).toBe(true);
	});

	it("never retries a PermanentError, whatever its message says", () => {
		expect(isTransient(new PermanentError("timed out"))).toBe(false);
	});

	it("retries a TransientError and errors the runtime marks retryable", () => {
		expect(isTransient(new TransientError("x"))).toBe(true);
		expect(isTransient(Object.assign(new Error("Durable Object reset"), { retryable: true }))).toBe(true);
	});

	it("does not retry ordinary bugs", () => {
		expect(isTransient(new TypeError("cannot read properties of undefined"))).toBe(false);
		expect(isTransient("a string")).toBe(false);
	});
});

describe("backoffSeconds", () => {
	it("grows exponentially with full jitter inside [1, ceiling]", () => {
		expect(backoffSeconds(1, { random: () => 0.999 })).toBe(1);
		expect(backoffSeconds(3, { random: () => 0.999 })).toBe(4);
		expect(backoffSeconds(5, { random: () => 0.999 })).toBe(16);
		expect(backoffSeconds(5, { random: () => 0 })).toBe(1);
	});

	it("never exceeds the cap", () => {
		expect(backoffSeconds(30, { random: () => 0.999, capSeconds: 60 })).toBe(60);
	});
});

describe("describeError", () => {
	it("describes an Error by its name and message on one line", () => {
		expect(describeError(new TypeError("x is\n undefined"))).toBe("TypeError: x is undefined");
	});

	it("describes thrown non-Errors without recursing", () => {
		expect(describeError("a string")).toBe("string: a string");
		expect(describeError(undefined)).toBe("undefined: undefined");
		expect(describeError(Object.create(null))).toBe("object: (unprintable)");
	});
});

describe("redactSecrets", () => {
	it("keeps session tokens out of logged URLs, subprotocols and messages", () => {
		expect(redactSecrets("GET http://x/api/sessions/s/ws?after=3&token=v1.ses_a.99.sig-_x")).toBe(
			"GET http://x/api/sessions/s/ws?after=3&token=[redacted]",
		);
		expect(redactSecrets("protocols chat.v1, bearer.v1.ses_a.99.sig")).toBe("protocols chat.v1, bearer.[redacted]");
		expect(describeError(new Error("bad token v1.ses_abc.1700000000.AbC_-9"))).toBe("Error: bad token [redacted]");
	});
});
