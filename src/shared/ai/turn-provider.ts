/**
 * The AI provider every model call uses (chat turns, warming, summaries): the
 * configured adapter, behind a deadline, and, in development only, behind the
 * fault switch, with every call's tokens and cost counted (usage.ts), and
 * every call first waiting its turn at the admission gate (with-admission.ts),
 * so no caller can spend the provider's per-minute budget around it. The
 * switch is read in parallel with opening the turn, so it costs no time
 * before the first token, and about once per FAULT_LEASE_MS per isolate (renewed
 * ahead while the isolate is busy: shared/lease.ts).
 */

import { configOf } from "../config";
import { describeError } from "../errors";
import { Lease } from "../lease";
import { type Faults, NO_FAULTS } from "../schemas/faults";
import { admissionGate, faultSwitch } from "../stubs";
import type { AiProvider } from "./provider";
import { selectProvider } from "./select-provider";
import { modelPrices, withUsage } from "./usage";
import { type AdmissionWatcher, withAdmission } from "./with-admission";
import { FAULT_LEASE_MS, withFaults } from "./with-faults";
import { withTimeout } from "./with-timeout";

/** The faults in force as this isolate last read them, used for FAULT_LEASE_MS from when it asked. */
const faultsLease = new Lease<Faults>(FAULT_LEASE_MS);

/** `watcher` hears the call's place while it waits in the admission line (a chat turn shows it to its tabs). */
export function turnProvider(env: Env, watcher?: AdmissionWatcher): AiProvider {
	const config = configOf(env);
	const provider = selectProvider(config.ai, env.AI);
	const counted = (inner: AiProvider) =>
		withAdmission(withUsage(inner, modelPrices(provider, config.aiPrices)), admissionGate(env), watcher);
	if (config.environment !== "development") return counted(withTimeout(provider, config.aiTimeoutMs));
	const faults$ = faultSwitch(env);
	const faults: Promise<Faults> = faultsLease
		.get(() => faults$.faults())
		.catch((error: unknown) => {
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
