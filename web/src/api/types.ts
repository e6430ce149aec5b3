// Names for the contract's types. Every shape comes from schema.d.ts (generated from
// openapi.json); nothing here is written by hand beyond picking and combining.
import type { components } from "./schema";

type Schemas = components["schemas"];

export type ChatRequest = Schemas["ChatRequest"];
export type ChatResponse = Schemas["ChatResponse"];
export type Citation = Schemas["Citation"];
export type AgentType = ChatResponse["agentType"];
export type SessionResponse = Schemas["SessionResponse"];
export type SessionMessage = Schemas["SessionMessage"];
export type LeadRequest = Schemas["TrainingLeadRequest"] | Schemas["TripLeadRequest"];
export type LeadResponse = Schemas["LeadResponse"];
export type LeadType = LeadRequest["type"];
export type ErrorBody = Schemas["ErrorBody"];
export type DiverProfile = Record<string, unknown>;

type ContractEvent = Schemas["ChatStreamEvent"];
export type StreamEventType = ContractEvent["type"];

// What each event carries beside its `type`, per the contract's prose, built from the
// generated components. `satisfies` fails the build when the contract names an event
// type this client does not handle.
type EventFields = {
  session: Pick<ChatResponse, "sessionId">;
  route: Pick<ChatResponse, "agentType"> & Pick<Schemas["ChatMetadata"], "confidence">;
  token: { content: ChatResponse["message"] };
  citation: Citation;
  final: ChatResponse;
  error: Pick<ErrorBody, "code" | "message">;
};
type Covered = EventFields extends Record<StreamEventType, object> ? true : never;
const covered: Covered = true;
void covered;

type DerivedEvent = { [K in StreamEventType]: { type: K } & EventFields[K] }[StreamEventType];

// When the contract itself describes each event's fields (a union discriminated by `type`),
// that union is used as is.
type ContractToken = Extract<ContractEvent, { type: "token" }>;
export type StreamEvent = [ContractToken] extends [never]
  ? DerivedEvent
  : ContractToken extends { content: string }
    ? ContractEvent
    : DerivedEvent;

export const STREAM_EVENT_TYPES: readonly StreamEventType[] = [
  "session",
  "route",
  "token",
  "citation",
  "final",
  "error",
] satisfies StreamEventType[];
