// The real thing under test: the backend (offline models, the repository's database) and the
// built web app, started here on free ports, once per worker. Tests may stop and restart the
// backend to see the app survive it.
import { test as base, expect, type Page } from "@playwright/test";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

const WEB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const REPO_DIR = path.resolve(WEB_DIR, "..");
const PYTHON_BIN = path.join(REPO_DIR, ".venv", "bin");
const LOG_DIR = path.join(WEB_DIR, "test-results");
const STATE_FILE = path.join(LOG_DIR, "stack.json");
// Generous: on a busy 2-core machine the backend has needed several minutes to load.
const READY_TIMEOUT_MS = 600_000;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

async function waitFor(url: string, timeoutMs: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: the server exited with ${child.exitCode}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} was not ready after ${timeoutMs} ms`);
}

// Offline models only, whatever the developer's shell holds.
const HOSTED_MODEL_KEYS = ["GOOGLE_API_KEY", "GEMINI_API_KEY", "GROQ_API_KEY"];

function start(name: string, command: string, args: string[], cwd: string, extra: Record<string, string>) {
  mkdirSync(LOG_DIR, { recursive: true });
  const log = openSync(path.join(LOG_DIR, `${name}.log`), "a");
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const key of HOSTED_MODEL_KEYS) delete env[key];
  // Detached, writing straight to its log: it outlives the test worker that started it.
  const child = spawn(command, args, { cwd, env, stdio: ["ignore", log, log], detached: true });
  child.unref();
  return child;
}

function alive(pid: number | null): pid is number {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function stop(pid: number | null): Promise<void> {
  if (!alive(pid)) return;
  // Each server leads its own process group (detached): end the group, children included.
  process.kill(-pid, "SIGTERM");
  const deadline = Date.now() + 15_000;
  while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  if (alive(pid)) process.kill(-pid, "SIGKILL");
}

interface StackState {
  backendPort: number;
  webPort: number;
  backendPid: number | null;
  webPid: number | null;
}

/**
 * The servers, started once for the whole run (global setup) and described in a state file,
 * so a test worker restarted after a failure finds them running instead of waiting minutes
 * for a new backend. A test that restarts the backend records the new process there too.
 */
export class Stack {
  private constructor(private state: StackState) {}

  static async create(): Promise<Stack> {
    return new Stack({ backendPort: await freePort(), webPort: await freePort(), backendPid: null, webPid: null });
  }

  static load(): Stack {
    return new Stack(JSON.parse(readFileSync(STATE_FILE, "utf8")) as StackState);
  }

  private save() {
    mkdirSync(LOG_DIR, { recursive: true });
    writeFileSync(STATE_FILE, JSON.stringify(this.state));
  }

  get backendUrl() {
    return `http://127.0.0.1:${this.state.backendPort}`;
  }
  get webUrl() {
    return `http://127.0.0.1:${this.state.webPort}`;
  }

  async startBackend(): Promise<void> {
    const child = start(
      "backend",
      path.join(PYTHON_BIN, "dovvybuddy"),
      ["serve", "--host", "127.0.0.1", "--port", String(this.state.backendPort)],
      REPO_DIR,
      {
        HF_HUB_OFFLINE: "1",
        TRANSFORMERS_OFFLINE: "1",
        TOKENIZERS_PARALLELISM: "false",
        // The tests send more turns a minute than one diver would.
        CHAT_RATE_LIMIT: "1000/minute",
        LEADS_RATE_LIMIT: "100/minute",
      },
    );
    this.state.backendPid = child.pid ?? null;
    this.save();
    // /health answers first; the embedding model loads after, and /ready waits for it.
    await waitFor(`${this.backendUrl}/ready`, READY_TIMEOUT_MS, child);
  }

  async stopBackend(): Promise<void> {
    await stop(this.state.backendPid);
    this.state.backendPid = null;
    this.save();
  }

  async startWeb(): Promise<void> {
    if (!existsSync(path.join(WEB_DIR, ".next", "BUILD_ID"))) {
      throw new Error("web/.next is missing: run `npm run build` in web/ first (make test does).");
    }
    const next = path.join(WEB_DIR, "node_modules", "next", "dist", "bin", "next");
    const child = start("web", process.execPath, [next, "start", "--hostname", "127.0.0.1"], WEB_DIR, {
      PORT: String(this.state.webPort),
      BACKEND_URL: this.backendUrl,
    });
    this.state.webPid = child.pid ?? null;
    this.save();
    await waitFor(this.webUrl, 120_000, child);
  }

  async stopAll(): Promise<void> {
    await stop(this.state.webPid);
    await this.stopBackend();
  }

  /** Runs SQL against the backend's own database and returns the first column of each row. */
  query(sql: string, ...params: string[]): string[] {
    const script = [
      "import asyncio, json, sys, psycopg",
      "from config.settings import Settings",
      "from store.database import resolve_database_url",
      "async def main():",
      "    async with await psycopg.AsyncConnection.connect(resolve_database_url(Settings())) as conn:",
      "        cur = await conn.execute(sys.argv[1], sys.argv[2:])",
      "        print(json.dumps([str(r[0]) for r in await cur.fetchall()]))",
      "asyncio.run(main())",
    ].join("\n");
    const result = spawnSync(path.join(PYTHON_BIN, "python"), ["-c", script, sql, ...params], { cwd: REPO_DIR, encoding: "utf8" });
    if (result.status !== 0) throw new Error(`query failed: ${result.stderr}`);
    return JSON.parse(result.stdout.trim().split("\n").pop() ?? "[]");
  }
}

export const test = base.extend<{ page: Page }, { stack: Stack }>({
  // eslint-disable-next-line no-empty-pattern
  stack: [async ({}, use) => use(Stack.load()), { scope: "worker" }],
  baseURL: async ({ stack }, use) => use(stack.webUrl),
});

export { expect, READY_TIMEOUT_MS };
