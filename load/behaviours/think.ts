/** Human pacing: the time a user reads a reply and types the next message. */
import { between, sleep } from "../core/sleep";
import type { VuContext } from "../core/types";

/** Reading an answer and typing the next question. */
export const THINK_MS: [number, number] = [2000, 4000];
/** Between messages of a burst ("quickly, one after another"). */
export const BURST_GAP_MS: [number, number] = [150, 500];

export function think(ctx: VuContext, range: [number, number] = THINK_MS): Promise<void> {
	return sleep(between(...range), ctx.signal);
}
