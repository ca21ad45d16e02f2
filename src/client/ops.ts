/**
 * The operators' page (/ops.html): submits a cache-warming job and shows its
 * progress as a bar and a sentence, polling `GET /api/admin/jobs/:id`, through
 * the SDK's `AdminApi` (answers validated, errors as `ProblemError`). The
 * admin token is kept for the tab only (sessionStorage). Text only, through
 * `textContent`.
 */
import { AdminApi, type JobStatus, ProblemError, ProtocolError } from "../sdk";

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

const admin = () => new AdminApi({ baseUrl: location.origin, adminToken: token.value });

/** The status of a refused or unreadable answer, when there was one. */
const statusOf = (error: unknown): number | undefined =>
	error instanceof ProblemError || error instanceof ProtocolError ? error.status : undefined;

byId("warm", HTMLFormElement).addEventListener("submit", async (event) => {
	event.preventDefault();
	sessionStorage.setItem("adminToken", token.value);
	const lines = questions.value
		.split("\n")
		.map((line) => line.trim())
		.filter(Boolean);
	let jobId: string;
	try {
		({ jobId } = await admin().warmCache(lines));
	} catch (error) {
		summary.textContent = `Refused (HTTP ${statusOf(error) ?? "?"}): ${error instanceof ProblemError ? error.detail : "unexpected answer"}`;
		return;
	}
	jobInput.value = jobId;
	void watch(jobId);
});

byId("watch", HTMLFormElement).addEventListener("submit", (event) => {
	event.preventDefault();
	sessionStorage.setItem("adminToken", token.value);
	void watch(jobInput.value.trim());
});

async function watch(jobId: string): Promise<void> {
	const mine = ++watching;
	while (mine === watching) {
		let job: JobStatus;
		try {
			job = await admin().getJob(jobId);
		} catch (error) {
			summary.textContent = `Cannot read job ${jobId} (HTTP ${statusOf(error) ?? "?"}).`;
			return;
		}
		show(job);
		if (job.state === "done" || job.state === "failed") return;
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
}

function show(job: JobStatus): void {
	bar.max = job.total;
	bar.value = job.done + job.failed;
	summary.textContent = `Job ${job.jobId}: ${job.state}, ${job.done + job.failed} of ${job.total} (${job.skipped} already warm, ${job.failed} failed).`;
}
