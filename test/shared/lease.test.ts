/**
 * The lease (src/shared/lease.ts) behind the knowledge base's version and the
 * development fault switch: one read per lease however many ask, a read in
 * flight joined only within its own lease, and a slower, older read kept from
 * replacing a newer value when the caller says so.
 */
import { describe, expect, it } from "vitest";
import { Lease } from "../../src/shared/lease";

/** A read that answers when told, counting the reads made. */
function gatedReads<T>() {
	const pending: ((value: T) => void)[] = [];
	return {
		read: () => new Promise<T>((resolve) => pending.push(resolve)),
		answer: (index: number, value: T) => pending[index]?.(value),
		get count() {
			return pending.length;
		},
	};
}

describe("a lease on a single writer's value", () => {
	it("reads once for every caller within the lease, and again once it has run out", async () => {
		const lease = new Lease<string>(40);
		let reads = 0;
		const read = async () => `v${++reads}`;

		expect(await Promise.all([lease.get(read), lease.get(read), lease.get(read)])).toEqual(["v1", "v1", "v1"]);
		expect(await lease.get(read)).toBe("v1");
		await scheduler.wait(60);
		expect(await lease.get(read)).toBe("v2");
		expect(reads).toBe(2);
	});

	it("joins a read in flight only within that read's lease", async () => {
		const lease = new Lease<string>(40);
		const reads = gatedReads<string>();
		const first = lease.get(reads.read);
		const joined = lease.get(reads.read);
		await scheduler.wait(60);
		// The first read is still out, but was asked longer ago than a lease: a new caller reads again.
		const later = lease.get(reads.read);
		expect(reads.count).toBe(2);
		reads.answer(0, "old");
		reads.answer(1, "new");
		expect(await Promise.all([first, joined, later])).toEqual(["old", "old", "new"]);
	});

	it("keeps the value held when `replaces` refuses a read (a slower read of an older version)", async () => {
		const lease = new Lease<number>(40, (read, held) => read >= held);
		const reads = gatedReads<number>();
		const slow = lease.get(reads.read);
		await scheduler.wait(60);
		const fast = lease.get(reads.read);
		reads.answer(1, 7);
		expect(await fast).toBe(7);
		reads.answer(0, 6);
		expect(await slow).toBe(6);
		expect(await lease.get(async () => 99)).toBe(7);
	});

	it("holds nothing after a failed read: the next caller reads again", async () => {
		const lease = new Lease<string>(1000);
		await expect(lease.get(() => Promise.reject(new Error("unreachable")))).rejects.toThrow("unreachable");
		expect(await lease.get(async () => "read again")).toBe("read again");
	});
});
