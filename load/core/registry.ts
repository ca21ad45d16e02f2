/** Every scenario, by the name `--scenario` takes. */
import { mixed } from "../scenarios/mixed";
import { rampUp } from "../scenarios/ramp-up";
import { spike } from "../scenarios/spike";
import { stress } from "../scenarios/stress";
import type { Scenario } from "./types";

const SCENARIOS: readonly Scenario[] = [rampUp, spike, stress, mixed];

export function findScenario(name: string): Scenario {
	const scenario = SCENARIOS.find((s) => s.name === name);
	if (!scenario) throw new Error(`unknown scenario "${name}"; one of: ${SCENARIOS.map((s) => s.name).join(", ")}`);
	return scenario;
}
