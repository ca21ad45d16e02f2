import { describe, expect, it } from "vitest";
import { memoryStorage, newClientId, OUTBOX_LIMIT, Outbox } from "../../src/sdk";

const message = (n: number) => ({ id: `c_${n}`, text: `message ${n}`, createdAt: "2026-01-01T00:00:00.000Z" });

describe("Outbox", () => {
	it("keeps messages in order and survives a reload through storage", () => {
		const store = memoryStorage();
		const outbox = new Outbox(store, "k");
		outbox.add(message(1));
		outbox.add(message(2));
		const reloaded = new Outbox(store, "k");
		expect(reloaded.items.map((m) => m.id)).toEqual(["c_1", "c_2"]);
	});

	it(`refuses the ${OUTBOX_LIMIT + 1}st message and says it is full`, () => {
		const outbox = new Outbox(memoryStorage(), "k");
		for (let n = 0; n < OUTBOX_LIMIT; n++) expect(outbox.add(message(n))).toBe(true);
		expect(outbox.full).toBe(true);
		expect(outbox.add(message(OUTBOX_LIMIT))).toBe(false);
		expect(outbox.items).toHaveLength(OUTBOX_LIMIT);
	});

	it("does not hold the same id twice", () => {
		const outbox = new Outbox(memoryStorage(), "k");
		outbox.add(message(1));
		outbox.add(message(1));
		expect(outbox.items).toHaveLength(1);
	});

	it("forgets a confirmed message, also in storage", () => {
		const store = memoryStorage();
		const outbox = new Outbox(store, "k");
		outbox.add(message(1));
		outbox.remove("c_1");
		expect(outbox.items).toEqual([]);
		expect(store.data.has("k")).toBe(false);
	});

	it("ignores corrupt storage instead of failing", () => {
		const store = memoryStorage();
		store.setItem("k", "{not json");
		expect(new Outbox(store, "k").items).toEqual([]);
		store.setItem("k", JSON.stringify([{ id: 1 }, message(2)]));
		expect(new Outbox(store, "k").items.map((m) => m.id)).toEqual(["c_2"]);
	});

	it("generates ids the server accepts", () => {
		expect(newClientId()).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
	});
});
