import { describe, expect, it } from "vitest";
import type { AiProvider, CompletionRequest } from "../../../src/shared/ai/provider";
import { withFaults } from "../../../src/shared/ai/with-faults";
import { withTimeout } from "../../../src/shared/ai/with-timeout";
import { PermanentError, TransientError } from "../../../src/shared/errors";
import { type FaultEffect, type Faults, NO_FAULTS } from "../../../src/shared/schemas/faults";

const REQUEST: CompletionRequest = { messages: [{ role: "user", content: "hi" }], sources: [], maxTokens: 64 };

/** A provider yielding `chunks`, waiting `gapsMs[i]` before chunk i; it records whether it was told to stop. */
function pacedProvider(chunks: string[], gapsMs: number[]) {
	const seen = { aborted: false, calls: 0 };
	const provider: AiProvider = {
		name: "paced",
		model: "paced",
		smallModel: undefined,
		async *stream(request) {
			seen.calls++;
			request.signal?.addEventListener("abort", () => {
				seen.aborted = true;
			});
			for (const [i, chunk] of chunks.entries()) {
				await scheduler.wait(gapsMs[i] ?? 0);
				yield chunk;
			}
		},
	};
	return { provider, seen };
}

async function collect(provider: AiProvider): Promise<string> {
	let text = "";
	for await (const chunk of provider.stream(REQUEST)) text += chunk;
	return text;
}

describe("withTimeout", () => {
	it("passes a provider that keeps talking straight through", async () => {
		const { provider } = pacedProvider(["Hel", "lo"], [10, 10]);
		expect(await collect(withTimeout(provider, 200))).toBe("Hello");
	});

	it("gives every chunk its own deadline: a reply far longer than the deadline passes while no gap reaches it", async () => {
		const { provider } = pacedProvider(["a", "b", "c", "d", "e", "f", "g", "h"], [0, 30, 30, 30, 30, 30, 30, 30]);
		expect(await collect(withTimeout(provider, 60))).toBe("abcdefgh");
	});

	it("does not count the caller's time between chunks against the provider", async () => {
		const { provider } = pacedProvider(["one ", "two ", "three"], [0, 0, 0]);
		let text = "";
		for await (const chunk of withTimeout(provider, 40).stream(REQUEST)) {
			text += chunk;
			await scheduler.wait(100);
		}
		expect(text).toBe("one two three");
	});

	it("cuts off a provider silent before its first chunk, as a transient error, and aborts it", async () => {
		const { provider, seen } = pacedProvider(["late"], [500]);
		await expect(collect(withTimeout(provider, 50))).rejects.toBeInstanceOf(TransientError);
		expect(seen.aborted).toBe(true);
	});

	it("cuts off a provider that goes silent mid-stream", async () => {
		const { provider } = pacedProvider(["one ", "two"], [0, 500]);
		const received: string[] = [];
		await expect(
			(async () => {
				for await (const chunk of withTimeout(provider, 50).stream(REQUEST)) received.push(chunk);
			})(),
		).rejects.toThrow(/sent nothing for 50 ms/);
		expect(received).toEqual(["one "]);
	});
	it("stops the provider when the caller stops reading, and then reads as ended", async () => {
		let returned = false;
		const { provider, seen } = pacedProvider(["one ", "two ", "three"], [0, 0, 0]);
		const watched: AiProvider = {
			...provider,
			stream: (request) => {
				const chunks = provider.stream(request)[Symbol.asyncIterator]();
				return {
					[Symbol.asyncIterator]: () => ({
						next: () => chunks.next(),
						return: async () => {
							returned = true;
							return { done: true, value: undefined };
						},
					}),
				};
			},
		};
		const stream = withTimeout(watched, 200).stream(REQUEST)[Symbol.asyncIterator]();
		expect(await stream.next()).toEqual({ done: false, value: "one " });
		await stream.return?.();
		expect({ aborted: seen.aborted, returned }).toEqual({ aborted: true, returned: true });
		expect(await stream.next()).toEqual({ done: true, value: undefined });
	});

	it("passes a provider's error mid-stream to the caller and stops the provider", async () => {
		const seen = { aborted: false };
		const failing: AiProvider = {
			name: "failing",
			model: "failing",
			smallModel: undefined,
			async *stream(request) {
				request.signal?.addEventListener("abort", () => {
					seen.aborted = true;
				});
				yield "one ";
				throw new TransientError("connection reset");
			},
		};
		const received: string[] = [];
		await expect(
			(async () => {
				for await (const chunk of withTimeout(failing, 200).stream(REQUEST)) received.push(chunk);
			})(),
		).rejects.toThrow(/connection reset/);
		expect({ received, aborted: seen.aborted }).toEqual({ received: ["one "], aborted: true });
	});

	it("stops at once when the caller aborts while a chunk is awaited", async () => {
		const { provider, seen } = pacedProvider(["one ", "two"], [0, 5000]);
		const caller = new AbortController();
		const stream = withTimeout(provider, 10_000)
			.stream({ ...REQUEST, signal: caller.signal })
			[Symbol.asyncIterator]();
		expect(await stream.next()).toEqual({ done: false, value: "one " });
		const second = stream.next();
		caller.abort();
		await expect(second).rejects.toMatchObject({ name: "AbortError" });
		expect(seen.aborted).toBe(true);
	});
});

describe("withFaults", () => {
	const faulty = (faults: Faults, random: number, effects: FaultEffect[][] = []) => {
		const { provider, seen } = pacedProvider(["ok"], [0]);
		const wrapped = withFaults(provider, { faults: async () => faults, random: () => random, record: (e) => effects.push(e) });
		return { wrapped, seen, effects };
	};

	it("changes nothing and records nothing without faults", async () => {
		const { wrapped, effects } = faulty(NO_FAULTS, 0);
		expect(await collect(wrapped)).toBe("ok");
		expect(effects).toEqual([]);
	});

	it("fails a call transiently or permanently at the configured rate, without calling the provider", async () => {
		const transient = faulty({ ...NO_FAULTS, aiFailureRate: 0.3 }, 0.29);
		await expect(collect(transient.wrapped)).rejects.toBeInstanceOf(TransientError);
		expect(transient.seen.calls).toBe(0);
		expect(transient.effects).toEqual([["failed_transient"]]);
		const permanent = faulty({ ...NO_FAULTS, aiFailureRate: 0.3, aiFailureKind: "permanent" }, 0.1);
		await expect(collect(permanent.wrapped)).rejects.toBeInstanceOf(PermanentError);
		const spared = faulty({ ...NO_FAULTS, aiFailureRate: 0.3 }, 0.31);
		expect(await collect(spared.wrapped)).toBe("ok");
	});

	it("delays the first chunk, so that a deadline shorter than the delay times the call out", async () => {
		const slow = faulty({ ...NO_FAULTS, aiDelayMs: 300 }, 1);
		await expect(collect(withTimeout(slow.wrapped, 50))).rejects.toBeInstanceOf(TransientError);
		expect(slow.effects).toEqual([["delayed"]]);
		const patient = faulty({ ...NO_FAULTS, aiDelayMs: 30 }, 1);
		expect(await collect(withTimeout(patient.wrapped, 500))).toBe("ok");
	});
});

describe("every wrapper keeps the provider's models and the model a request names", () => {
	it.each([
		["withTimeout", (p: AiProvider) => withTimeout(p, 200)],
		["withFaults", (p: AiProvider) => withFaults(p, { faults: async () => NO_FAULTS })],
	])("%s", async (_name, wrap) => {
		const named: (string | undefined)[] = [];
		const inner: AiProvider = {
			name: "two-models",
			model: "large",
			smallModel: "small",
			async *stream(request) {
				named.push(request.model);
				yield "ok";
			},
		};
		const wrapped = wrap(inner);
		expect([wrapped.model, wrapped.smallModel]).toEqual(["large", "small"]);
		for await (const _ of wrapped.stream({ ...REQUEST, model: "small" })) void _;
		expect(named).toEqual(["small"]);
	});
});
