/**
 * The AI provider a turn uses: the configured adapter, behind a deadline,
 * and, in development only, behind the fault switch. The switch is read in
 * parallel with opening the turn, so it costs no time before the first token.
 */

import type { AiProvider } from "../shared/ai/provider";
import { selectProvider } from "../shared/ai/select-provider";
import { withFaults } from "../shared/ai/with-faults";
import { withTimeout } from "../shared/ai/with-timeout";
import { configOf } from "../shared/config";
import { describeError } from "../shared/errors";
import { FAULT_SWITCH_NAME, type Faults, NO_FAULTS } from "../shared/schemas/faults";

export function turnProvider(env: Env): AiProvider {
	const config = configOf(env);
	const provider = selectProvider(config.ai, env.AI);
	if (config.environment !== "development") return withTimeout(provider, config.aiTimeoutMs);
	const faultSwitch = env.FAULT_SWITCH.get(env.FAULT_SWITCH.idFromName(FAULT_SWITCH_NAME));
	const faults: Promise<Faults> = faultSwitch.faults().catch((error: unknown) => {
		console.error(JSON.stringify({ event: "fault_switch_unreadable", error: describeError(error) }));
		return NO_FAULTS;
	});
	const faulty = withFaults(provider, {
		faults: () => faults,
		record: (effects) => {
			faultSwitch.record(effects).catch(() => undefined);
		},
	});
	return withTimeout(faulty, config.aiTimeoutMs);
}
