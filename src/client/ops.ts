/**
 * The operators' page (/ops.html): submits a cache-warming job and shows its
 * progress as a bar and a sentence, polling `GET /api/admin/jobs/:id`. The
 * admin token is kept for the tab only (sessionStorage). Text only, through
 * `textContent`; responses parsed with zod/mini like the widget's frames.
 */
import * as z from "zod/mini";

const jobSchema = z.object({
	jobId: z.string(),
	state: z.enum(["queued", "running", "done", "failed"]),
	total: z.number(),
	done: z.number(),
	failed: z.number(),
	skipped: z.optional(z.number()),
});
type Job = z.infer<typeof jobSchema>;

const byId = <T extends HTMLElement>(id: string, type: new () => T): T => {
	const element = document.getElementById(id);
	if (!(element instanceof type)) throw new Error(`#${id} is missing`);
	return element;
};
const token = byId("token", HTMLInputElement);
const questions = byId("questions", HTMLTextAreaElement);
const jobInput = byId("job", HTMLInputElement);
const bar = byId("bar", HTMLProgressElement);
const summary = byId("summary", HTMLParagraphElement);
token.value = sessionStorage.getItem("adminToken") ?? "";
let watching = 0;

const headers = () => ({ Authorization: `Bearer ${token.value}`, "Content-Type": "application/json" });

byId("warm", HTMLFormElement).addEventListener("submit", async (event) => {
	event.preventDefault();
	sessionStorage.setItem("adminToken", token.value);
	const lines = questions.value
		.split("\n")
		.map((line) => line.trim())
		.filter(Boolean);
	const response = await fetch("/api/admin/cache/warm", { method: "POST", headers: headers(), body: JSON.stringify({ questions: lines }) });
	const body = await response.json().catch(() => ({}));
	const accepted = z.object({ jobId: z.string() }).safeParse(body);
	if (response.status !== 202 || !accepted.success) {
		summary.textContent = `Refused (HTTP ${response.status}): ${z.object({ detail: z.string() }).safeParse(body).data?.detail ?? "unexpected answer"}`;
		return;
	}
	jobInput.value = accepted.data.jobId;
	void watch(accepted.data.jobId);
});

byId("watch", HTMLFormElement).addEventListener("submit", (event) => {
	event.preventDefault();
	sessionStorage.setItem("adminToken", token.value);
	void watch(jobInput.value.trim());
});

async function watch(jobId: string): Promise<void> {
	const mine = ++watching;
	while (mine === watching) {
		const response = await fetch(`/api/admin/jobs/${encodeURIComponent(jobId)}`, { headers: headers() });
		const job = jobSchema.safeParse(await response.json().catch(() => ({})));
		if (!job.success) {
			summary.textContent = `Cannot read job ${jobId} (HTTP ${response.status}).`;
			return;
		}
		show(job.data);
		if (job.data.state === "done" || job.data.state === "failed") return;
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
}

function show(job: Job): void {
	bar.max = job.total;
	bar.value = job.done + job.failed;
	summary.textContent = `Job ${job.jobId}: ${job.state}, ${job.done + job.failed} of ${job.total} (${job.skipped ?? 0} already warm, ${job.failed} failed).`;
}
