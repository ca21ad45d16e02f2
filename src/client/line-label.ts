/** The words for a turn's place in the admission line (CONTRACT §4 `position`, `etaSeconds`), kept apart from the DOM code so the SDK's tests can read them. */

/**
 * Where a turn waiting for model capacity stands.
 * @example lineLabel({ position: 3, etaSeconds: 20 }) // "You're #3 in line, about 20 s"
 */
export function lineLabel({ position, etaSeconds }: { position: number; etaSeconds: number }): string {
	const wait = etaSeconds >= 90 ? `about ${Math.round(etaSeconds / 60)} min` : `about ${Math.max(1, etaSeconds)} s`;
	return `You're #${position} in line, ${wait}`;
}
