import { supportChat } from "../behaviours/support-chat";
import { BASE_THRESHOLDS } from "../core/base-thresholds";
import type { Scenario } from "../core/types";

/** Sustained load: 30 chat users for ten minutes by default, to surface leaks (watch peak RSS) and slow drift. */
export const stress: Scenario = {
	name: "stress",
	description: "30 concurrent chat users sustained (closed model); 600 s unless --duration",
	workloads: {
		chat: {
			executor: "ramping-vus",
			startVUs: 1,
			stages: [
				{ duration: 30, target: 30 },
				{ duration: 570, target: 30 },
			],
			pauseMs: [1000, 2000],
			exec: supportChat,
		},
	},
	thresholds: BASE_THRESHOLDS,
};
