import { expect, it } from "vitest";
import { fuseRanks, RRF_K } from "../../../src/shared/kb/fusion";

it("scores each item 1 / (k + rank) per list, summed, best first", () => {
	const fused = fuseRanks([
		["a", "b"],
		["b", "c"],
	]);
	expect(fused.map((f) => f.id)).toEqual(["b", "a", "c"]);
	expect(fused[0]?.score).toBeCloseTo(1 / (RRF_K + 2) + 1 / (RRF_K + 1));
	expect(fused[1]?.score).toBeCloseTo(1 / (RRF_K + 1));
});

it("weighs a list's ranks by its weight", () => {
	const lists = [
		["lexical-top", "both"],
		["dense-top", "both"],
	];
	expect(fuseRanks(lists, [1, 1]).map((f) => f.id)[0]).toBe("both");
	// Half-weight dense ranks: the lexical winner stays first, the dense-only one falls behind the shared one.
	expect(fuseRanks(lists, [1, 0.5]).map((f) => f.id)).toEqual(["both", "lexical-top", "dense-top"]);
	expect(fuseRanks([["x"], ["y"]], [1, 0]).map((f) => [f.id, f.score])).toEqual([
		["x", 1 / (RRF_K + 1)],
		["y", 0],
	]);
});
