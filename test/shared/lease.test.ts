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

describe("renewing a busy lease ahead", () => {
	/** A lease of 100 ms on a clock the test moves. */
	function leaseAt() {
		const clock = { now: 0 };
		return {
			clock,
			lease: new Lease<string>(
				100,
				() => true,
				() => clock.now,
			),
		};
	}
	const settle = () => scheduler.wait(0);
	/** A lease read at 0 (read 0, "v1") and renewed by a caller at 80 (read 1, left unanswered). */
	async function renewalAskedAt80() {
		const { clock, lease } = leaseAt();
		const reads = gatedReads<string>();
		const first = lease.get(reads.read);
		reads.answer(0, "v1");
		await first;
		clock.now = 80;
		expect(await lease.get(reads.read)).toBe("v1");
		return { clock, lease, reads };
	}

	it("serves the held value in the lease's last quarter and reads once in the background, so the next lease costs no caller a wait", async () => {
		const { clock, lease } = leaseAt();
		const reads = gatedReads<string>();
		const first = lease.get(reads.read);
		reads.answer(0, "v1");
		expect(await first).toBe("v1");

		clock.now = 74;
		expect(await lease.get(reads.read)).toBe("v1");
		expect(reads.count).toBe(1);
		clock.now = 80;
		expect(await lease.get(reads.read)).toBe("v1");
		expect(await lease.get(reads.read)).toBe("v1");
		expect(reads.count).toBe(2);

		reads.answer(1, "v2");
		await settle();
		// Past the first lease, inside the renewal's own (asked at 80): no caller reads or waits.
		clock.now = 150;
		expect(await lease.get(reads.read)).toBe("v2");
		expect(reads.count).toBe(2);
		// And that lease is renewed in its own last quarter in turn.
		clock.now = 160;
		expect(await lease.get(reads.read)).toBe("v2");
		expect(reads.count).toBe(3);
	});

	it("leaves the held value to run out after a failed renewal, and makes no other renewal in that lease", async () => {
		const { clock, lease } = leaseAt();
		let reads = 0;
		expect(await lease.get(async () => `v${++reads}`)).toBe("v1");
		clock.now = 80;
		const failing = async () => {
			reads++;
			throw new Error("unreachable");
		};
		expect(await lease.get(failing)).toBe("v1");
		await settle();
		clock.now = 90;
		expect(await lease.get(failing)).toBe("v1");
		expect(reads).toBe(2);
		// Run out: the next caller reads, and waits for it, as without renewal.
		clock.now = 100;
		expect(await lease.get(async () => `v${++reads}`)).toBe("v3");
	});

	it("is not stopped for good by a renewal that never settles, and never joins one", async () => {
		const { clock, lease, reads } = await renewalAskedAt80();
		expect(reads.count).toBe(2);
		// The renewal (read 1) is never answered. Past the lease a caller reads on its own.
		clock.now = 110;
		const own = lease.get(reads.read);
		expect(reads.count).toBe(3);
		reads.answer(2, "v3");
		expect(await own).toBe("v3");
		// In that lease's last quarter, a lease after the stuck renewal was asked: renewal resumes.
		clock.now = 190;
		expect(await lease.get(reads.read)).toBe("v3");
		expect(reads.count).toBe(4);
	});

	it("never lets a value asked earlier replace one asked later", async () => {
		const { clock, lease, reads } = await renewalAskedAt80();
		// The renewal (asked at 80) is slow; past the lease a caller reads and is answered first.
		clock.now = 100;
		const own = lease.get(reads.read);
		reads.answer(2, "newer");
		expect(await own).toBe("newer");
		reads.answer(1, "older");
		await settle();
		expect(await lease.get(reads.read)).toBe("newer");
	});
});
