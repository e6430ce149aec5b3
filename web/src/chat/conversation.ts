// The conversation as the page shows it, and how each contract event changes it.
// Plain functions, so the rules are testable without a browser.
import type { AgentType, Citation, LeadType, SessionMessage, StreamEvent } from "@/api/types";

export type MessageStatus = "streaming" | "done" | "stopped" | "interrupted";

export interface UiMessage {
  id: string;
  role: "user" | "assistant";
  content: string;
  status: MessageStatus;
  agentType: AgentType | null;
  citations: Citation[];
  followUp: string | null;
  leadType: LeadType | null;
}

let counter = 0;
const nextId = () => `m${++counter}`;

export function userMessage(content: string): UiMessage {
  return {
    id: nextId(),
    role: "user",
    content,
    status: "done",
    agentType: null,
    citations: [],
    followUp: null,
    leadType: null,
  };
}

export function pendingAnswer(): UiMessage {
  return { ...userMessage(""), role: "assistant", status: "streaming" };
}

export function restored(messages: SessionMessage[]): UiMessage[] {
  return messages.map((m) => ({ ...userMessage(m.content), role: m.role }));
}

/** The answer after one event. Session and error events are handled by the caller. */
export function applyEvent(answer: UiMessage, event: StreamEvent): UiMessage {
  switch (event.type) {
    case "route":
      return { ...answer, agentType: event.agentType };
    case "token":
      return { ...answer, content: answer.content + event.content };
    case "citation":
      return answer.citations.some((c) => c.path === event.path && c.section === event.section)
        ? answer
        : {
            ...answer,
            citations: [...answer.citations, { path: event.path, title: event.title, section: event.section }],
          };
    case "final": {
      const emergency = event.agentType === "emergency";
      return {
        ...answer,
        content: event.message,
        status: "done",
        agentType: event.agentType,
        citations: event.citations,
        // An emergency reply never asks a question back and never offers a lead.
        followUp: emergency ? null : event.followUpQuestion,
        leadType: !emergency && event.metadata.leadOffer ? (event.metadata.leadType ?? null) : null,
      };
    }
    default:
      return answer;
  }
}
