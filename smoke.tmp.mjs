import WebSocket from "ws";

const base = "http://localhost:8787";
const s = await (await fetch(`${base}/api/sessions`, { method: "POST" })).json();
const ws = new WebSocket(`ws://localhost:8787/api/sessions/${s.sessionId}/ws`, ["chat.v1", `bearer.${s.token}`]);
const t0 = Date.now();
ws.on("message", (d) => {
	console.log(Date.now() - t0, d.toString().slice(0, 300));
});
await new Promise((r) => ws.on("open", r));
console.log("protocol", ws.protocol);
const r = await fetch(`${base}/api/sessions/${s.sessionId}/messages`, {
	method: "POST",
	headers: { "content-type": "application/json", authorization: `Bearer ${s.token}` },
	body: JSON.stringify({ id: "m1", text: process.argv[2] ?? "How do I get a refund for my annual plan?" }),
});
console.log(r.status, await r.text());
await new Promise((r) => setTimeout(r, 3000));
ws.close();
