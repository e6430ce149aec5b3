import { describe, expect, it } from "vitest";
import { applyEvent, pendingAnswer } from "@/chat/conversation";
import type { ChatResponse } from "@/api/types";

const final = (over: Partial<ChatResponse> = {}): ChatResponse => ({
  message: "Hello diver. Want a shop?",
  sessionId: "s1",
  agentType: "trip",
  followUpQuestion: "Which month?",
  citations: [{ path: "destinations/tioman.md", title: "Tioman", section: "Seasons" }],
  metadata: { route: "trip", confidence: 0.9, leadOffer: true, leadType: "trip", sessionExpired: false },
  ...over,
});

describe("applying stream events to the answer", () => {
  it("appends tokens in order, then takes the final message, sources, suggestion and lead", () => {
    let answer = pendingAnswer();
    answer = applyEvent(answer, { type: "route", agentType: "trip", confidence: 0.9 });
    answer = applyEvent(answer, { type: "token", content: "Hello " });
    answer = applyEvent(answer, { type: "token", content: "diver." });
    expect(answer.content).toBe("Hello diver.");
    expect(answer.status).toBe("streaming");
    answer = applyEvent(answer, { type: "citation", path: "destinations/tioman.md", title: "Tioman", section: "Seasons" });
    answer = applyEvent(answer, { type: "citation", path: "destinations/tioman.md", title: "Tioman", section: "Seasons" });
    expect(answer.citations).toHaveLength(1);
    answer = applyEvent(answer, { type: "final", ...final() });
    expect(answer).toMatchObject({
      content: "Hello diver. Want a shop?",
      status: "done",
      followUp: "Which month?",
      leadType: "trip",
      agentType: "trip",
    });
  });

  it("never offers a lead or a question with an emergency reply", () => {
    const answer = applyEvent(pendingAnswer(), {
      type: "final",
      ...final({ agentType: "emergency", followUpQuestion: "Anything else?" }),
    });
    expect(answer.leadType).toBeNull();
    expect(answer.followUp).toBeNull();
    expect(answer.agentType).toBe("emergency");
  });
});
