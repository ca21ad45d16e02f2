/**
 * Starts the systems under load with `wrangler dev --local`: the product
 * (with its rate limits raised, since they would otherwise be what gets
 * measured) and the bare baseline of bench/baseline.
 */
import { type DevServer, startDevServer, writeRaisedLimitsConfig } from "../../test/support/dev-server";

export function startProduct(chunkDelayMs: number): Promise<DevServer> {
	return startDevServer({ config: writeRaisedLimitsConfig(), vars: { LOCAL_AI_CHUNK_DELAY_MS: String(chunkDelayMs) } });
}

export function startBaseline(chunkDelayMs: number, replyChars = 480): Promise<DevServer> {
	return startDevServer({
		config: "bench/baseline/wrangler.toml",
		vars: { LOCAL_AI_CHUNK_DELAY_MS: String(chunkDelayMs), BARE_REPLY_CHARS: String(replyChars) },
	});
}
