// The real thing under test: the backend (offline models, the repository's database) and the
// built web app, started here on free ports, once per worker. Tests may stop and restart the
// backend to see the app survive it.
import { test as base, expect, type Page } from "@playwright/test";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, createWriteStream } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

const WEB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const REPO_DIR = path.resolve(WEB_DIR, "..");
const PYTHON_BIN = path.join(REPO_DIR, ".venv", "bin");
const LOG_DIR = path.join(WEB_DIR, "test-results");
const READY_TIMEOUT_MS = 300_000;

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
  const log = createWriteStream(path.join(LOG_DIR, `${name}.log`), { flags: "a" });
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const key of HOSTED_MODEL_KEYS) delete env[key];
  const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  return child;
}

async function stop(child: ChildProcess | null): Promise<void> {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

export class Stack {
  backend: ChildProcess | null = null;
  web: ChildProcess | null = null;
  constructor(
    readonly backendPort: number,
    readonly webPort: number,
  ) {}

  get backendUrl() {
    return `http://127.0.0.1:${this.backendPort}`;
  }
  get webUrl() {
    return `http://127.0.0.1:${this.webPort}`;
  }

  async startBackend(): Promise<void> {
    this.backend = start(
      "backend",
      path.join(PYTHON_BIN, "dovvybuddy"),
      ["serve", "--host", "127.0.0.1", "--port", String(this.backendPort)],
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
    // /health answers first; the embedding model loads after, and /ready waits for it.
    await waitFor(`${this.backendUrl}/ready`, READY_TIMEOUT_MS, this.backend);
  }

  async stopBackend(): Promise<void> {
    await stop(this.backend);
    this.backend = null;
  }

  async startWeb(): Promise<void> {
    if (!existsSync(path.join(WEB_DIR, ".next", "BUILD_ID"))) {
      throw new Error("web/.next is missing: run `npm run build` in web/ first (make test does).");
    }
    this.web = start("web", process.execPath, [path.join(WEB_DIR, "node_modules", "next", "dist", "bin", "next"), "start", "--hostname", "127.0.0.1"], WEB_DIR, {
      PORT: String(this.webPort),
      BACKEND_URL: this.backendUrl,
    });
    await waitFor(this.webUrl, 60_000, this.web);
  }

  async stopAll(): Promise<void> {
    await stop(this.web);
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
  stack: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const stack = new Stack(await freePort(), await freePort());
      try {
        await stack.startBackend();
        await stack.startWeb();
        await use(stack);
      } finally {
        await stack.stopAll();
      }
    },
    { scope: "worker", timeout: READY_TIMEOUT_MS + 120_000 },
  ],
  baseURL: async ({ stack }, use) => use(stack.webUrl),
});

export { expect };
