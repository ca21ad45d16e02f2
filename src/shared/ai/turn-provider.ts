/**
 * The AI provider a turn uses: the configured adapter, behind a deadline,
 * and, in development only, behind the fault switch, with every call's
 * tokens and cost counted (usage.ts). The switch is read in parallel with
 * opening the turn, so it costs no time before the first token.
 */

import { configOf } from "../config";
import { describeError } from "../errors";
import { type Faults, NO_FAULTS } from "../schemas/faults";
import { faultSwitch } from "../stubs";
import type { AiProvider } from "./provider";
import { selectProvider } from "./select-provider";
import { modelPrices, withUsage } from "./usage";
import { withFaults } from "./with-faults";
import { withTimeout } from "./with-timeout";

export function turnProvider(env: Env): AiProvider {
	const config = configOf(env);
	const provider = selectProvider(config.ai, env.AI);
	const counted = (inner: AiProvider) => withUsage(inner, modelPrices(provider, config.aiPrices));
	if (config.environment !== "development") return counted(withTimeout(provider, config.aiTimeoutMs));
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
	return counted(withTimeout(faulty, config.aiTimeoutMs));
}
