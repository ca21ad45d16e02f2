/**
 * Starts the systems under load with `wrangler dev --local`: the product
 * (with its rate limits raised, since they would otherwise be what gets
 * measured) and the bare baseline of bench/baseline.
 *
 * Both run without wrangler's local trace collector. It is a development tool that is
 * part of neither system nor of Cloudflare's (where traces are collected outside the
 * Worker's isolate), and here it is a streaming tail of every invocation, storage call and RPC
 * on the Worker's own thread: with it, both systems' knees read 0.58–0.67 of what they hold
 * without it (docs/benchmarks.md, "Twelfth round").
 */
import { type LocalAiProfile, localPacing } from "../../src/shared/config";
import { type DevServer, startDevServer, writeRaisedLimitsConfig } from "../../test/support/dev-server";

/** How the local provider is paced: a profile, optionally with the pause between chunks overridden. */
export interface Pacing {
	profile: LocalAiProfile;
	chunkDelayMs?: number | undefined;
}

export function startProduct(
	pacing: Pacing,
	options: { answerCache?: boolean; logLevel?: "warn" | "log"; metrics?: boolean; routing?: boolean } = {},
): Promise<DevServer> {
	// The bench and the load suite repeat a few questions; unless asked, they measure the model path, not cache hits,
	// and one model paced exactly as the baseline is (routing's small model would be faster).
	const vars: Record<string, string> = {
		LOCAL_AI_PROFILE: pacing.profile,
		ANSWER_CACHE: options.answerCache ? "on" : "off",
		AI_ROUTING: options.routing ? "auto" : "off",
	};
	if (pacing.chunkDelayMs !== undefined) vars.LOCAL_AI_CHUNK_DELAY_MS = String(pacing.chunkDelayMs);
	if (options.metrics === false) vars.METRICS = "off";
	return startDevServer({
		config: writeRaisedLimitsConfig(),
		vars,
		localObservability: false,
		...(options.logLevel ? { logLevel: options.logLevel } : {}),
	});
}

/**
 * The baseline streams replies with exactly the product's pauses: as long as the product's
 * answer to the same question when `lengths` says, else `lengths.median` (or 480) characters.
 */
export function startBaseline(
	pacing: Pacing,
	lengths: { median: number; byQuestion?: Record<string, number>; firstTurn?: Record<string, number> } = { median: 480 },
): Promise<DevServer> {
	const { firstChunkDelayMs, chunkDelayMs } = localPacing(pacing.profile, pacing.chunkDelayMs);
	return startDevServer({
		config: "bench/baseline/wrangler.toml",
		localObservability: false,
		vars: {
			LOCAL_AI_CHUNK_DELAY_MS: String(chunkDelayMs),
			LOCAL_AI_FIRST_CHUNK_DELAY_MS: String(firstChunkDelayMs),
			BARE_REPLY_CHARS: String(lengths.median),
			BARE_REPLY_LENGTHS: JSON.stringify(lengths.byQuestion ?? {}),
			BARE_FIRST_REPLY_LENGTHS: JSON.stringify(lengths.firstTurn ?? {}),
		},
	});
}
