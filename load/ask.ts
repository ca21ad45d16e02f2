/**
 * `npm run ask -- "question" [--url http://localhost:8787]`: one chat turn
 * from the terminal against a running server (`npm run dev`), streaming the
 * reply as it arrives and listing its citations. Loopback only, like the
 * load runner.
 */
import { parseArgs } from "node:util";
import { ChatSocket, createSession } from "./lib/chat-client";
import { checkTarget } from "./lib/target";

const { values, positionals } = parseArgs({
	options: { url: { type: "string", default: "http://localhost:8787" } },
	allowPositionals: true,
});
const url = values.url ?? "http://localhost:8787";
const question = positionals.join(" ").trim() || "Can I get a refund on my annual plan?";
checkTarget(url, false);

const socket = await ChatSocket.connect(url, await createSession(url));
let streamed = 0;
socket.onFrame = (frame) => {
	if (frame.type === "delta" && typeof frame.text === "string" && frame.offset === streamed) {
		process.stdout.write(frame.text);
		streamed += frame.text.length;
	}
	if (frame.type === "message" && frame.role !== "user") {
		process.stdout.write(`${frame.text?.slice(streamed) ?? ""}\n`);
		for (const citation of frame.citations ?? []) console.log(`  [source] ${citation.title}${citation.url ? ` <${citation.url}>` : ""}`);
	}
};
console.log(`> ${question}`);
const timing = await socket.send(`ask_${Date.now()}`, question, 30_000);
console.log(
	`(accepted in ${Math.round(timing.acceptMs)} ms, first delta ${Math.round(timing.firstDeltaMs ?? -1)} ms, final ${Math.round(timing.finalMs ?? -1)} ms)`,
);
socket.close();
