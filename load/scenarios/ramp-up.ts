import { supportChat } from "../behaviours/support-chat";
import { BASE_THRESHOLDS } from "../core/base-thresholds";
import type { Scenario } from "../core/types";

/** Does latency hold as users arrive? 1 → 20 concurrent users over three quarters of the run, then a plateau at 20. */
export const rampUp: Scenario = {
	name: "ramp-up",
	description: "1 → 20 concurrent chat users (closed model), then held at 20",
	workloads: {
		chat: {
			executor: "ramping-vus",
			startVUs: 1,
			stages: [
				{ duration: 45, target: 20 },
				{ duration: 15, target: 20 },
			],
			pauseMs: [1000, 2000],
			exec: supportChat,
		},
	},
	thresholds: BASE_THRESHOLDS,
};
