import { supportChat } from "../behaviours/support-chat";
import { BASE_THRESHOLDS } from "../core/base-thresholds";
import type { Scenario } from "../core/types";

/** A sudden burst (a status-page link, a newsletter): 5 users, 50 within seconds, back to 5; nothing may be lost and the tail must recover. */
export const spike: Scenario = {
	name: "spike",
	description: "5 chat users, a burst to 50 for a quarter of the run, back to 5 (closed model)",
	workloads: {
		chat: {
			executor: "ramping-vus",
			startVUs: 5,
			stages: [
				{ duration: 15, target: 5 },
				{ duration: 3, target: 50 },
				{ duration: 15, target: 50 },
				{ duration: 3, target: 5 },
				{ duration: 24, target: 5 },
			],
			pauseMs: [1000, 2000],
			exec: supportChat,
		},
	},
	thresholds: BASE_THRESHOLDS,
};
