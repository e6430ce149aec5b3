// Reads the chat stream: server-sent events over a fetch POST (EventSource cannot POST),
// parsed by eventsource-parser. Frames may be split anywhere, even inside a UTF-8 character.
import { EventSourceParserStream } from "eventsource-parser/stream";
import { STREAM_EVENT_TYPES, type StreamEvent } from "./types";
import { ApiFailure } from "./failure";

function toEvent(data: string): StreamEvent | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    throw new ApiFailure("stream", 200, "BAD_STREAM", "The answer stream was garbled.");
  }
  if (typeof parsed !== "object" || parsed === null || !("type" in parsed)) return null;
  const type = (parsed as { type: unknown }).type;
  // Event types this client does not know yet are skipped, not fatal.
  return STREAM_EVENT_TYPES.includes(type as StreamEvent["type"]) ? (parsed as StreamEvent) : null;
}

export async function* readStreamEvents(
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<StreamEvent, void, undefined> {
  // TextDecoderStream is typed as taking any BufferSource; bytes are one of them.
  const reader = (body as ReadableStream<BufferSource>)
    .pipeThrough(new TextDecoderStream())
    .pipeThrough(new EventSourceParserStream())
    .getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      const event = toEvent(value.data);
      if (event) yield event;
    }
  } finally {
    // Stopping early (a break, an abort) releases the connection.
    await reader.cancel().catch(() => undefined);
  }
}
