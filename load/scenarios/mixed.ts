import { kbSearch } from "../behaviours/kb-search";
import { mixedUser } from "../behaviours/mixed-user";
import { BASE_THRESHOLDS } from "../core/base-thresholds";
import type { Scenario } from "../core/types";

/**
 * Realistic traffic: chat visitors (quick questions, multi-message
 * conversations, ~20% whose connection drops and resumes) as looping users,
 * and help-centre searches arriving at their own rate (open model), since
 * searchers do not wait for each other.
 */
export const mixed: Scenario = {
	name: "mixed",
	description: "chat users (45% quick, 35% multi-message, 20% dropped + resumed) and KB searches at 1 → 2/s",
	workloads: {
		chat: {
			executor: "ramping-vus",
			startVUs: 1,
			stages: [
				{ duration: 20, target: 10 },
				{ duration: 100, target: 10 },
			],
			pauseMs: [1000, 3000],
			exec: mixedUser,
		},
		search: {
			executor: "ramping-arrival-rate",
			startRate: 1,
			stages: [
				{ duration: 20, target: 2 },
				{ duration: 100, target: 2 },
			],
			maxVUs: 10,
			exec: kbSearch,
		},
	},
	thresholds: {
		...BASE_THRESHOLDS,
		quickResponse: ["p(95)<2000"],
		complexResponse: ["p(95)<5000"],
		kbSearch: ["p(95)<3000"],
	},
};
