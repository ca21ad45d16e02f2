/** Asks the support assistant one question through the SDK: `npx tsx scripts/chat-example.ts "How do I get a refund?"` */
import { ChatApi, ChatConnection, fileStorage, Outbox, resumeSession } from "support-chat/sdk/node";

const api = new ChatApi({ baseUrl: process.env.CHAT_URL ?? "http://localhost:8787" });
const storage = fileStorage(".chat-example.json"); // the session and an unsent message survive a restart
const session = await resumeSession(api, storage);
const chat = new ChatConnection({ url: api.socketUrl(session.sessionId), token: session.token, outbox: new Outbox(storage, "outbox") });
const id = chat.send(process.argv[2] ?? "How do I get a refund for my annual plan?") ?? "";
let shown = 0; // characters of the streaming reply already printed
chat.on("reply", (reply) => {
	if (!reply.replyTo.includes(id)) return;
	process.stdout.write(reply.text.slice(shown));
	shown = reply.text.length;
});
chat.on("message", (message) => {
	if (!message.replyTo?.includes(id)) return;
	console.log(message.text.slice(shown));
	chat.stop();
});
chat.start();
