/**
 * Starts `wrangler dev --local` on a free loopback port with its own state
 * folder, the way a user runs the product, and stops or restarts it on the
 * same state. Used by the end-to-end tests (and the benchmarks).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface DevServerOptions {
	/** Extra `--var KEY:VALUE` pairs, e.g. a slower local provider for mid-stream tests. */
	vars?: Record<string, string>;
	/** Reuse a state folder (to restart on the same state); a fresh one by default. */
	persistTo?: string;
	config?: string;
	/** A fixed port (to restart a server where its clients expect it); a free one by default. */
	port?: number;
}

export interface DevServer {
	url: string;
	port: number;
	/** The wrangler process; its workerd children are sampled for memory by the benchmarks. */
	pid: number;
	persistTo: string;
	/** Everything wrangler printed, for failure messages. */
	output(): string;
	stop(): Promise<void>;
}

/** State folders this process created; removed when it exits (a restart reuses them until then). */
const createdStateDirs = new Set<string>();
process.once("exit", () => {
	for (const dir of createdStateDirs) rmSync(dir, { recursive: true, force: true });
});

export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once("error", reject);
		server.listen(0, "127.0.0.1", () => {
			const address = server.address();
			const port = typeof address === "object" && address ? address.port : 0;
			server.close(() => resolve(port));
		});
	});
}

export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
	const port = options.port ?? (await freePort());
	let persistTo = options.persistTo;
	if (!persistTo) {
		persistTo = mkdtempSync(join(tmpdir(), "support-chat-state-"));
		createdStateDirs.add(persistTo);
	}
	const vars = { ENVIRONMENT: "development", AI_PROVIDER: "local", ...options.vars };
	const args = [
		"dev",
		"--local",
		"--ip",
		"127.0.0.1",
		"--port",
		String(port),
		"--inspector-port",
		String(await freePort()),
		"--persist-to",
		persistTo,
		"--show-interactive-dev-session=false",
		"--log-level",
		"warn",
		...(options.config ? ["--config", options.config] : []),
		...Object.entries(vars).flatMap(([key, value]) => ["--var", `${key}:${value}`]),
	];
	const child = spawn("wrangler", args, {
		stdio: ["ignore", "pipe", "pipe"],
		env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" },
		detached: true,
	});
	let output = "";
	child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
	child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
	const url = `http://127.0.0.1:${port}`;
	await waitForHealth(url, child, () => output);
	return { url, port, pid: child.pid ?? 0, persistTo, output: () => output, stop: () => stopProcess(child) };
}

async function waitForHealth(url: string, child: ChildProcess, output: () => string): Promise<void> {
	const deadline = Date.now() + 60_000;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`wrangler dev exited early:\n${output()}`);
		try {
			const response = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2000) });
			if (response.ok) return;
		} catch {
			// Not listening yet.
		}
		await new Promise((r) => setTimeout(r, 250));
	}
	await stopProcess(child);
	throw new Error(`wrangler dev did not become healthy within 60 s:\n${output()}`);
}

/** SIGINT to the whole process group (wrangler and its workerd), then SIGKILL if it lingers. */
async function stopProcess(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.pid === undefined) return;
	const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
	const group = -child.pid;
	try {
		process.kill(group, "SIGINT");
	} catch {
		return;
	}
	const timer = setTimeout(() => {
		try {
			process.kill(group, "SIGKILL");
		} catch {
			// Already gone.
		}
	}, 5000);
	await exited;
	clearTimeout(timer);
}
