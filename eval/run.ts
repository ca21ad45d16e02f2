/**
 * `npm run eval [-- --url http://localhost:8787] [-- --verbose]`: the
 * answer-quality eval. Plays every dialogue of eval/dialogues.ts through the
 * public API of a real server (by default a fresh `wrangler dev --local` of
 * the product as configured in wrangler.toml, answer cache and model routing
 * included, with the instant pacing so it takes seconds), one session per
 * dialogue, one turn at a time, and judges each reply (eval/score.ts).
 * Prints the accuracy per category and every failure, for the main set and
 * apart for the held-out set (eval/held-out.ts), writes
 * eval/results/latest.json, and exits 1 when a category falls below its
 * floor (eval/floors.ts): CI runs it.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { ChatSocket, createSession, type Frame } from "../load/lib/chat-client";
import { checkTarget } from "../load/lib/target";
import { type DevServer, startDevServer, writeRaisedLimitsConfig } from "../test/support/dev-server";
import { BACK_TO_BACK } from "./back-to-back";
import { DIALOGUES, type Dialogue } from "./dialogues";
import { BACK_TO_BACK_FLOORS, FLOORS, HELD_OUT_FLOORS } from "./floors";
import { HELD_OUT } from "./held-out";
import { accuracy, CATEGORIES, type Category, judge, type Reply, tally, type Verdict } from "./score";

const { values } = parseArgs({
	options: {
		url: { type: "string" },
		verbose: { type: "boolean", default: false },
		only: { type: "string" },
	},
});

type EvalSet = "main" | "held_out" | "back_to_back";

interface TurnResult {
	set: EvalSet;
	dialogue: string;
	turn: number;
	user: string;
	category: Category;
	verdict: Verdict;
	reply?: { text: string; citations: string[] };
}

// Rate limits are not what this measures; the instant pacing makes 100-odd turns take seconds.
const server: DevServer | undefined = values.url
	? undefined
	: await startDevServer({ config: writeRaisedLimitsConfig(), vars: { LOCAL_AI_PROFILE: "instant" } });
const url = values.url ?? server?.url ?? "";
checkTarget(url, false);

const results: TurnResult[] = [];
try {
	const setOf = new Map<string, EvalSet>([
		...HELD_OUT.map((d) => [d.id, "held_out"] as const),
		...BACK_TO_BACK.map((d) => [d.id, "back_to_back"] as const),
	]);
	const all = [...DIALOGUES, ...HELD_OUT, ...BACK_TO_BACK];
	const dialogues = values.only ? all.filter((d) => d.id.includes(values.only ?? "")) : all;
	// A few sessions side by side: each dialogue's turns still go one after another, as a user types them.
	let next = 0;
	await Promise.all(
		Array.from({ length: 4 }, async () => {
			for (let i = next++; i < dialogues.length; i = next++) {
				const dialogue = dialogues[i];
				if (dialogue) results.push(...(await play(url, dialogue, setOf.get(dialogue.id) ?? "main")));
			}
		}),
	);
} finally {
	await server?.stop();
}

results.sort((a, b) => a.set.localeCompare(b.set) || a.dialogue.localeCompare(b.dialogue) || a.turn - b.turn);
let belowFloor = false;
const report = (title: string, set: TurnResult["set"], floors: Partial<Record<Category, number>>) => {
	const mine = results.filter((r) => r.set === set);
	const totals = tally(mine);
	console.log(`\n${title}: ${mine.length} turns in ${new Set(mine.map((r) => r.dialogue)).size} dialogues`);
	for (const category of CATEGORIES) {
		const t = totals[category];
		const floor = floors[category];
		// A category with no turns (a run with --only) has nothing to fall below.
		if (floor === undefined || t.total === 0) continue;
		const share = accuracy(t);
		const below = share < floor;
		belowFloor ||= below;
		console.log(
			`${category.padEnd(14)}${`${t.right}/${t.total}`.padStart(7)}  ${(share * 100).toFixed(0).padStart(3)} %  (floor ${(floor * 100).toFixed(0)} %)${below ? "  BELOW FLOOR" : ""}`,
		);
	}
	return totals;
};
const totals = report("answer-quality eval", "main", FLOORS);
const heldOutTotals = report(
	"held out (written after tuning, its failures seen since: eval/held-out.ts, eval/floors.ts)",
	"held_out",
	HELD_OUT_FLOORS,
);
const backToBackTotals = report(
	"back to back (unrelated questions one after another, tuned on: eval/back-to-back.ts)",
	"back_to_back",
	BACK_TO_BACK_FLOORS,
);
const failures = results.filter((r) => !r.verdict.ok);
if (failures.length) console.log("\nfailures:");
for (const f of failures) {
	console.log(`- ${f.dialogue}#${f.turn} [${f.category}] "${f.user}": ${f.verdict.why}`);
	if (values.verbose && f.reply)
		console.log(`    reply: ${f.reply.text.slice(0, 240).replaceAll("\n", " ")} (cited ${f.reply.citations.join(", ")})`);
}
mkdirSync("eval/results", { recursive: true });
writeFileSync(
	"eval/results/latest.json",
	`${JSON.stringify({ at: new Date().toISOString(), totals, heldOutTotals, backToBackTotals, results }, null, "\t")}\n`,
);
if (belowFloor) {
	console.error("\nanswer-quality eval: a category is below its floor (eval/floors.ts)");
	process.exit(1);
}

/** Whether the conversation has been handed to people (after a request for one, or two declines in a row). */
async function escalated(base: string, socket: ChatSocket): Promise<boolean> {
	const { sessionId, token } = socket.session;
	const response = await fetch(`${base}/api/sessions/${sessionId}`, { headers: { Authorization: `Bearer ${token}` } });
	const info: unknown = await response.json();
	return typeof info === "object" && info !== null && "status" in info && info.status === "escalated";
}

/** One session, the dialogue's turns in order, each judged on the reply that answers it. */
async function play(base: string, dialogue: Dialogue, set: TurnResult["set"]): Promise<TurnResult[]> {
	const socket = await ChatSocket.connect(base, await createSession(base));
	const replies = new Map<string, Reply>();
	socket.onFrame = (frame: Frame) => {
		if (frame.type !== "message" || frame.role === "user") return;
		// The first reply is the answer; a handoff notice that follows it names the same messages.
		for (const id of frame.replyTo ?? []) if (!replies.has(id)) replies.set(id, frame);
	};
	const out: TurnResult[] = [];
	try {
		for (const [index, turn] of dialogue.turns.entries()) {
			const id = `${dialogue.id}-${index}`.slice(0, 64);
			// While people answer, the assistant is silent (CONTRACT §7): a few seconds show that as well as 30 would.
			await socket.send(id, turn.user, (await escalated(base, socket)) ? 3_000 : 30_000);
			const reply = replies.get(id);
			out.push({
				set,
				dialogue: dialogue.id,
				turn: index + 1,
				user: turn.user,
				category: turn.category,
				verdict: judge(turn.expect, reply),
				...(reply ? { reply: { text: reply.text, citations: (reply.citations ?? []).map((c) => c.id) } } : {}),
			});
		}
	} finally {
		socket.close();
	}
	return out;
}
