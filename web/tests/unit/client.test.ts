import { describe, expect, it } from "vitest";
import { createApi } from "@/api/client";
import { ApiFailure, retryAfterSeconds } from "@/api/failure";

// A fake fetch stands in for the network here; the browser tests use the real backend.
type Handler = (request: Request) => Response | Promise<Response>;
function apiWith(handler: Handler) {
  const seen: Request[] = [];
  const fetchImpl = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(input, init);
    seen.push(request);
    return handler(request);
  }) as typeof fetch;
  return { api: createApi("http://backend.test", fetchImpl), seen };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", ...headers } });

async function failureOf(promise: Promise<unknown>): Promise<ApiFailure> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiFailure) return error;
    throw error;
  }
  throw new Error("expected a failure");
}

describe("api client", () => {
  it("posts the chat request and yields the stream's events", async () => {
    const { api, seen } = apiWith(
      () =>
        new Response('data: {"type":"session","sessionId":"s1"}\n\ndata: {"type":"token","content":"Hi"}\n\n', {
          headers: { "Content-Type": "text/event-stream" },
        }),
    );
    const events = [];
    for await (const event of await api.streamChat({ message: "hello", sessionId: "s0" })) events.push(event);
    expect(events).toEqual([
      { type: "session", sessionId: "s1" },
      { type: "token", content: "Hi" },
    ]);
    const request = seen[0]!;
    expect(request.method).toBe("POST");
    expect(new URL(request.url).pathname).toBe("/api/chat/stream");
    expect(await request.json()).toEqual({ message: "hello", sessionId: "s0" });
  });

  it("turns 429 into a rate-limit failure with the Retry-After wait", async () => {
    const { api } = apiWith(() =>
      json(429, { error: { code: "RATE_LIMITED", message: "slow down" } }, { "Retry-After": "17" }),
    );
    const failure = await failureOf(api.streamChat({ message: "hi" }));
    expect(failure.kind).toBe("rate_limited");
    expect(failure.retryAfterSeconds).toBe(17);
  });

  it("turns 503 with an error body into a retryable 'unavailable'", async () => {
    const { api } = apiWith(() => json(503, { error: { code: "LLM_UNAVAILABLE", message: "model down" } }));
    const failure = await failureOf(api.streamChat({ message: "hi" }));
    expect([failure.kind, failure.code, failure.message]).toEqual(["unavailable", "LLM_UNAVAILABLE", "model down"]);
  });

  it("calls a bare 5xx from the proxy, and a refused connection, unreachable", async () => {
    const proxy = apiWith(() => new Response("Internal Server Error", { status: 500 }));
    expect((await failureOf(proxy.api.streamChat({ message: "hi" }))).kind).toBe("unreachable");
    const refused = apiWith(() => {
      throw new TypeError("fetch failed");
    });
    expect((await failureOf(refused.api.getSession("abc"))).kind).toBe("unreachable");
  });

  it("maps lead validation details to form fields", async () => {
    const { api } = apiWith(() =>
      json(422, {
        error: {
          code: "VALIDATION_ERROR",
          message: "data.email: is not a valid e-mail address",
          details: [{ field: "data.email", message: "is not a valid e-mail address" }],
        },
      }),
    );
    const failure = await failureOf(api.submitLead({ type: "trip", data: { name: "A", email: "x", destination: "Komodo" } }));
    expect(failure.kind).toBe("validation");
    expect(failure.fieldErrors).toEqual({ email: "is not a valid e-mail address" });
  });

  it("returns null for an unknown or expired session and the body otherwise", async () => {
    const { api } = apiWith((request) =>
      request.url.endsWith("/gone")
        ? json(404, { error: { code: "SESSION_NOT_FOUND", message: "no such session" } })
        : json(200, { id: "live", messages: [], diverProfile: {}, createdAt: "t", updatedAt: "t" }),
    );
    expect(await api.getSession("gone")).toBeNull();
    expect((await api.getSession("live"))?.id).toBe("live");
  });

  it("lets an abort through as an abort, not as a failure", async () => {
    const { api } = apiWith((request) => new Promise((_, reject) => {
      request.signal.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")));
    }));
    const controller = new AbortController();
    const pending = api.streamChat({ message: "hi" }, controller.signal);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
  });

  it("reads Retry-After as seconds or as a date", () => {
    expect(retryAfterSeconds("5")).toBe(5);
    expect(retryAfterSeconds(new Date(60_000).toUTCString(), 0)).toBe(60);
    expect(retryAfterSeconds(null)).toBe(10);
  });
});
