/**
 * The AI provider a turn uses: the configured adapter, behind a deadline,
 * and, in development only, behind the fault switch. The switch is read in
 * parallel with opening the turn, so it costs no time before the first token.
 */

import { configOf } from "../config";
import { describeError } from "../errors";
import { type Faults, NO_FAULTS } from "../schemas/faults";
import { faultSwitch } from "../stubs";
import type { AiProvider } from "./provider";
import { selectProvider } from "./select-provider";
import { withFaults } from "./with-faults";
import { withTimeout } from "./with-timeout";

export function turnProvider(env: Env): AiProvider {
	const config = configOf(env);
	const provider = selectProvider(config.ai, env.AI);
	if (config.environment !== "development") return withTimeout(provider, config.aiTimeoutMs);
	const faults$ = faultSwitch(env);
	const faults: Promise<Faults> = faults$.faults().catch((error: unknown) => {
		console.error(JSON.stringify({ event: "fault_switch_unreadable", error: describeError(error) }));
		return NO_FAULTS;
	});
	const faulty = withFaults(provider, {
		faults: () => faults,
		record: (effects) => {
			faults$.record(effects).catch(() => undefined);
		},
	});
	return withTimeout(faulty, config.aiTimeoutMs);
}
