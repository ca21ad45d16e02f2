/**
 * Reciprocal rank fusion (Cormack, Clarke and Büttcher, SIGIR 2009): each
 * list gives an item 1 / (k + rank); an item's fused score is the sum over
 * the lists it is in. It needs no score calibration between a BM25 list and a
 * cosine list, which is why hybrid search uses it; k = 60 is the paper's
 * value and the field's default. A list may carry a weight (1 unless said):
 * how much its ranks count against the others'.
 */
export const RRF_K = 60;

/**
 * @example fuseRanks([["a", "b"], ["b", "c"]]) // [{ id: "b", score: 1/62 + 1/61 }, { id: "a", … }, { id: "c", … }]
 */
export function fuseRanks(
	lists: readonly (readonly string[])[],
	weights: readonly number[] = [],
	k = RRF_K,
): { id: string; score: number }[] {
	const scores = new Map<string, number>();
	for (const [n, list] of lists.entries()) {
		const weight = weights[n] ?? 1;
		for (const [index, id] of list.entries()) scores.set(id, (scores.get(id) ?? 0) + weight / (k + index + 1));
	}
	return [...scores].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
}
