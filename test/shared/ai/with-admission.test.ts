/**
 * A model call waits its turn at the admission gate before the provider sees
 * it (src/shared/ai/with-admission.ts): the hub hears the place and the
 * estimate as they change, a 429 before any text makes the call wait in line
 * again instead of failing the turn, and a gate that cannot be reached does
 * not stop the chat.
 */
import { describe, expect, it, vi } from "vitest";
import type { AiProvider } from "../../../src/shared/ai/provider";
import {
	type AdmissionPlace,
	type AdmissionPort,
	MAX_RATE_LIMITED_RETRIES,
	SPARE_MS,
	SPARE_WANT,
	withAdmission,
} from "../../../src/shared/ai/with-admission";
import { TransientError } from "../../../src/shared/errors";

/** A gate that answers from a script of places, then grants; it stamps every first call 1000. */
function scriptedGate(places: Omit<Extract<AdmissionPlace, { granted: false }>, "readyAt">[]) {
	const calls: { ticket: string; position?: number }[] = [];
	const gate = {
		wait: vi.fn(async (input: { ticket: string; readyAt?: number; position?: number; continuation?: boolean }): Promise<AdmissionPlace> => {
			calls.push({ ticket: input.ticket, ...(input.position === undefined ? {} : { position: input.position }) });
			const readyAt = input.readyAt ?? 1000;
			const place = places.shift();
			return place ? { ...place, readyAt } : { granted: true, readyAt };
		}),
		leave: vi.fn(async () => undefined),
		throttled: vi.fn(async () => undefined),
		stock: vi.fn(async () => ({ spare: 0 })),
	} satisfies AdmissionPort;
	return { gate, calls };
}

/** A provider whose calls run `script[i]`: chunks to yield, then maybe an error. */
function scriptedProvider(script: { chunks: string[]; error?: Error }[]) {
	let calls = 0;
	const provider: AiProvider = {
		name: "scripted",
		model: "m",
		smallModel: undefined,
		async *stream() {
			const step = script[calls++] ?? { chunks: ["ok"] };
			for (const chunk of step.chunks) yield chunk;
			if (step.error) throw step.error;
		},
	};
	return { provider, calls: () => calls };
}

async function collect(provider: AiProvider, signal?: AbortSignal): Promise<string> {
	let text = "";
	for await (const chunk of provider.stream({ messages: [], sources: [], maxTokens: 10, ...(signal ? { signal } : {}) })) text += chunk;
	return text;
}

const rateLimited = () => new TransientError("OpenAI-compatible endpoint answered 429");

describe("withAdmission", () => {
	it("calls the provider only once granted, telling the watcher each new place and then the wait", async () => {
		const { gate, calls } = scriptedGate([
			{ granted: false, position: 3, etaSeconds: 20 },
			{ granted: false, position: 2, etaSeconds: 12 },
			{ granted: false, position: 2, etaSeconds: 12 },
			{ granted: false, position: 1, etaSeconds: 4 },
		]);
		const { provider, calls: providerCalls } = scriptedProvider([{ chunks: ["Hello", " there"] }]);
		const waiting = vi.fn();
		const admitted = vi.fn();
		expect(await collect(withAdmission(provider, gate, { waiting, admitted }))).toBe("Hello there");
		expect(providerCalls()).toBe(1);
		expect(waiting.mock.calls).toEqual([
			[3, 20],
			[2, 12],
			[1, 4],
		]);
		expect(admitted).toHaveBeenCalledOnce();
		// One ticket for the whole wait, and each poll says the place it was last told.
		expect(new Set(calls.map((c) => c.ticket)).size).toBe(1);
		expect(calls.map((c) => c.position)).toEqual([undefined, 3, 2, 2, 1]);
	});

	it("waits in line again after a 429 that came before any text, shrinking the gate's budget, instead of failing the turn", async () => {
		const { gate } = scriptedGate([]);
		const { provider, calls } = scriptedProvider([{ chunks: [], error: rateLimited() }, { chunks: ["fine"] }]);
		expect(await collect(withAdmission(provider, gate))).toBe("fine");
		expect(calls()).toBe(2);
		expect(gate.throttled).toHaveBeenCalledOnce();
		expect(gate.wait).toHaveBeenCalledTimes(2);
	});

	it("asks for a turn's later calls as continuations, with the stamp the gate gave its first", async () => {
		const { gate } = scriptedGate([]);
		const { provider } = scriptedProvider([{ chunks: ["small"] }, { chunks: ["large"] }]);
		const admitted = withAdmission(provider, gate);
		await collect(admitted);
		await collect(admitted);
		expect(gate.wait.mock.calls.map(([input]) => [input.readyAt, input.continuation])).toEqual([
			[undefined, false],
			[1000, true],
		]);
	});

	it("gives up after a few 429s in a row, failing transiently as before", async () => {
		const { gate } = scriptedGate([]);
		const { provider, calls } = scriptedProvider(Array.from({ length: 10 }, () => ({ chunks: [], error: rateLimited() })));
		await expect(collect(withAdmission(provider, gate))).rejects.toThrow(/429/);
		expect(calls()).toBe(MAX_RATE_LIMITED_RETRIES + 1);
	});

	it("does not replay a call that already sent text, nor one refused for another reason", async () => {
		const { gate } = scriptedGate([]);
		const midway = scriptedProvider([{ chunks: ["partial"], error: rateLimited() }]);
		await expect(collect(withAdmission(midway.provider, gate))).rejects.toThrow(/429/);
		expect(midway.calls()).toBe(1);
		const other = scriptedProvider([{ chunks: [], error: new TransientError("3040: Capacity temporarily exceeded") }]);
		await expect(collect(withAdmission(other.provider, gate))).rejects.toThrow(/3040/);
		expect(other.calls()).toBe(1);
		expect(gate.throttled).not.toHaveBeenCalled();
	});

	it("goes ahead when the gate cannot be reached: the provider's own limit is the backstop", async () => {
		const gate: AdmissionPort = {
			wait: async () => {
				throw new Error("Durable Object reset");
			},
			leave: async () => undefined,
			throttled: async () => undefined,
			stock: async () => ({ spare: 0 }),
		};
		const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
		const { provider } = scriptedProvider([{ chunks: ["still answered"] }]);
		expect(await collect(withAdmission(provider, gate))).toBe("still answered");
		expect(error.mock.calls.map((c) => String(c[0]))).toEqual([expect.stringContaining("admission_unavailable")]);
		error.mockRestore();
	});

	it("leaves the line and stops when the turn is aborted while waiting", async () => {
		const abort = new AbortController();
		const gate = {
			wait: vi.fn(async () => {
				abort.abort(new Error("session erased"));
				return { granted: false as const, readyAt: 1, position: 1, etaSeconds: 1 };
			}),
			leave: vi.fn(async () => undefined),
			throttled: vi.fn(async () => undefined),
			stock: vi.fn(async () => ({ spare: 0 })),
		} satisfies AdmissionPort;
		const { provider, calls } = scriptedProvider([]);
		await expect(collect(withAdmission(provider, gate), abort.signal)).rejects.toThrow(/session erased/);
		expect(gate.leave).toHaveBeenCalledOnce();
		expect(calls()).toBe(0);
	});

	it("spends the spare grants a grant brings without asking the gate, then asks again", async () => {
		const asks: (number | undefined)[] = [];
		const gate = {
			wait: vi.fn(async (input: { ticket: string; want?: number }): Promise<AdmissionPlace> => {
				asks.push(input.want);
				return { granted: true, readyAt: 1000, spare: 2 };
			}),
			leave: vi.fn(async () => undefined),
			throttled: vi.fn(async () => undefined),
			stock: vi.fn(async () => ({ spare: 0 })),
		} satisfies AdmissionPort;
		const { provider } = scriptedProvider([]);
		const waits: number[] = [];
		const admitted = withAdmission(provider, gate, { waiting: () => undefined, admitted: (ms) => waits.push(ms) });
		// One ask brings two spares: the next two calls in this isolate spend them; the fourth asks again.
		for (let i = 0; i < 4; i++) expect(await collect(admitted)).toBe("ok");
		expect(asks).toEqual([SPARE_WANT, SPARE_WANT]);
		expect(waits.slice(1, 3)).toEqual([0, 0]);
		// Leave none behind for other tests in this isolate.
		for (let i = 0; i < 2; i++) await collect(admitted);
		expect(asks).toHaveLength(2);
	});
	it("restocks in the background once half its spares are spent, so a busy isolate's calls stop waiting for the gate", async () => {
		let stocking = true;
		const gate = {
			wait: vi.fn(async (): Promise<AdmissionPlace> => ({ granted: true, readyAt: 1000, spare: SPARE_WANT - 1 })),
			leave: vi.fn(async () => undefined),
			throttled: vi.fn(async () => undefined),
			stock: vi.fn(async (want: number) => ({ spare: stocking ? want : 0 })),
		} satisfies AdmissionPort;
		const { provider } = scriptedProvider([]);
		const waits: number[] = [];
		const admitted = withAdmission(provider, gate, { waiting: () => undefined, admitted: (ms) => waits.push(ms) });
		const calls = 5 * SPARE_WANT;
		for (let i = 0; i < calls; i++) expect(await collect(admitted)).toBe("ok");
		// One ask at first; after that, spares bought in the background before they ran out.
		expect(gate.wait).toHaveBeenCalledOnce();
		expect(gate.stock.mock.calls.length).toBeGreaterThanOrEqual(Math.floor((calls - SPARE_WANT) / SPARE_WANT));
		expect(gate.stock.mock.calls.every(([want]) => want === SPARE_WANT)).toBe(true);
		expect(waits.slice(1).every((ms) => ms === 0)).toBe(true);
		// A gate with none to spare: the spares run out and the next call asks in line again.
		stocking = false;
		for (let i = 0; i < 3 * SPARE_WANT; i++) await collect(admitted);
		expect(gate.wait.mock.calls.length).toBeGreaterThan(1);
	});

	it("asks to restock again a while after an ask that never answered (its request may have ended)", async () => {
		let now = 1_000_000;
		vi.spyOn(Date, "now").mockImplementation(() => now);
		const gate = {
			wait: vi.fn(async (): Promise<AdmissionPlace> => ({ granted: true, readyAt: now, spare: SPARE_WANT - 1 })),
			leave: vi.fn(async () => undefined),
			throttled: vi.fn(async () => undefined),
			stock: vi.fn(() => new Promise<{ spare: number }>(() => undefined)),
		} satisfies AdmissionPort;
		const { provider } = scriptedProvider([]);
		const admitted = withAdmission(provider, gate);
		// Whatever earlier tests left in this isolate has expired.
		now += 10 * SPARE_MS;
		for (let i = 0; i < SPARE_WANT; i++) await collect(admitted);
		expect(gate.stock).toHaveBeenCalledOnce();
		// A second later the spares have expired and the unanswered ask is forgotten: the next grant's spares restock again.
		now += SPARE_MS;
		for (let i = 0; i < SPARE_WANT; i++) await collect(admitted);
		expect(gate.stock).toHaveBeenCalledTimes(2);
	});
});
