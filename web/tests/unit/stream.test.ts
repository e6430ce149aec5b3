import { describe, expect, it } from "vitest";
import { readStreamEvents } from "@/api/stream";
import { ApiFailure } from "@/api/failure";
import type { StreamEvent } from "@/api/types";

/** A body delivering exactly these byte chunks, in order. */
function body(chunks: (string | Uint8Array)[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(typeof chunk === "string" ? encoder.encode(chunk) : chunk);
      controller.close();
    },
  });
}

async function collect(stream: ReadableStream<Uint8Array>): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  for await (const event of readStreamEvents(stream)) events.push(event);
  return events;
}

const frame = (event: object) => `data: ${JSON.stringify(event)}\r\n\r\n`;

describe("readStreamEvents", () => {
  it("reassembles events split across chunks at any byte", async () => {
    const text = frame({ type: "session", sessionId: "abc" }) + frame({ type: "token", content: "Hello" });
    for (let cut = 1; cut < text.length; cut += 7) {
      const events = await collect(body([text.slice(0, cut), text.slice(cut)]));
      expect(events).toEqual([
        { type: "session", sessionId: "abc" },
        { type: "token", content: "Hello" },
      ]);
    }
  });

  it("reads several events from one chunk, in order", async () => {
    const events = await collect(
      body([frame({ type: "token", content: "A" }) + frame({ type: "token", content: "B" }) + frame({ type: "token", content: "C" })]),
    );
    expect(events.map((e) => (e.type === "token" ? e.content : ""))).toEqual(["A", "B", "C"]);
  });

  it("keeps multi-byte characters split between chunks intact", async () => {
    const bytes = new TextEncoder().encode(frame({ type: "token", content: "Manta 🐟 über Tioman — ok" }));
    const fish = bytes.indexOf(0xf0); // first byte of the 4-byte emoji
    const events = await collect(body([bytes.slice(0, fish + 2), bytes.slice(fish + 2)]));
    expect(events).toEqual([{ type: "token", content: "Manta 🐟 über Tioman — ok" }]);
  });

  it("passes an error event through and ignores keep-alive comments and unknown types", async () => {
    const events = await collect(
      body([
        ": ping\r\n\r\n",
        frame({ type: "token", content: "Part" }),
        frame({ type: "something-new", x: 1 }),
        frame({ type: "error", code: "LLM_UNAVAILABLE", message: "down" }),
      ]),
    );
    expect(events).toEqual([
      { type: "token", content: "Part" },
      { type: "error", code: "LLM_UNAVAILABLE", message: "down" },
    ]);
  });

  it("fails clearly on a data line that is not JSON", async () => {
    await expect(collect(body(["data: {not json\n\n"]))).rejects.toBeInstanceOf(ApiFailure);
  });
});
