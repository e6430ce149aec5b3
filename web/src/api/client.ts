// The backend's web contract, called through openapi-fetch on the generated paths.
import createClient from "openapi-fetch";
import type { paths } from "./schema";
import { readStreamEvents } from "./stream";
import { ApiFailure, failureFromNetwork, failureFromResponse, isAbort } from "./failure";
import type {
  ChatRequest,
  LeadRequest,
  LeadResponse,
  SessionResponse,
  StreamEvent,
} from "./types";

export type ApiClient = ReturnType<typeof createApi>;

async function call<T>(request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    if (isAbort(error) || error instanceof ApiFailure) throw error;
    throw failureFromNetwork(error);
  }
}

/** baseUrl "" in the browser: every call goes to this origin, which proxies to the backend. */
export function createApi(baseUrl = "", fetchImpl?: typeof fetch) {
  const client = createClient<paths>({
    baseUrl,
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
  });

  return {
    /** The answer as a stream of contract events; throws ApiFailure before the first one. */
    async streamChat(
      body: ChatRequest,
      signal?: AbortSignal,
    ): Promise<AsyncGenerator<StreamEvent, void, undefined>> {
      return call(async () => {
        const { data, error, response } = await client.POST("/api/chat/stream", {
          body,
          signal,
          parseAs: "stream",
          headers: { Accept: "text/event-stream" },
        });
        if (!response.ok || !data) throw failureFromResponse(response, error);
        return readStreamEvents(data);
      });
    },

    /** The stored conversation, or null when it is unknown or has expired. */
    async getSession(sessionId: string): Promise<SessionResponse | null> {
      return call(async () => {
        const { data, error, response } = await client.GET("/api/sessions/{session_id}", {
          params: { path: { session_id: sessionId } },
        });
        if (response.status === 404) return null;
        if (!data) throw failureFromResponse(response, error);
        return data;
      });
    },

    async deleteSession(sessionId: string): Promise<void> {
      return call(async () => {
        const { error, response } = await client.DELETE("/api/sessions/{session_id}", {
          params: { path: { session_id: sessionId } },
        });
        if (!response.ok && response.status !== 404) throw failureFromResponse(response, error);
      });
    },

    async submitLead(body: LeadRequest): Promise<LeadResponse> {
      return call(async () => {
        const { data, error, response } = await client.POST("/api/leads", { body });
        if (!data) throw failureFromResponse(response, error);
        return data;
      });
    },

    /** True when the backend answers at all (used to clear the "unreachable" banner). */
    async isUp(): Promise<boolean> {
      try {
        const { response } = await client.GET("/health");
        return response.ok;
      } catch {
        return false;
      }
    },
  };
}
