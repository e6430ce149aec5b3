"use client";
import type { UiMessage } from "@/chat/conversation";
import { linkPhoneNumbers } from "@/lib/phones";
import { TEXTS } from "@/texts";
import Markdown from "./Markdown";

interface Props {
  message: UiMessage;
  isLatest: boolean;
  onSuggestion: (text: string) => void;
  canSuggest: boolean;
}

export default function MessageView({ message, isLatest, onSuggestion, canSuggest }: Props) {
  if (message.role === "user") {
    return (
      <article className="message user" data-testid="message-user" aria-label={TEXTS.you}>
        <p className="bubble">{message.content}</p>
      </article>
    );
  }
  const emergency = message.agentType === "emergency";
  const text = emergency ? linkPhoneNumbers(message.content) : message.content;
  return (
    <article
      className={`message assistant${emergency ? " emergency" : ""}`}
      data-testid="message-assistant"
      data-status={message.status}
      data-agent={message.agentType ?? ""}
      aria-label={emergency ? TEXTS.emergencyHeading : TEXTS.assistant}
      aria-busy={message.status === "streaming"}
    >
      <div className="bubble">
        {emergency && (
          <h2 className="emergency-heading">
            <span aria-hidden="true">⚠ </span>
            {TEXTS.emergencyHeading}
          </h2>
        )}
        {message.content ? (
          <div className="markdown" data-testid="answer-text">
            <Markdown text={text} />
          </div>
        ) : (
          message.status === "streaming" && <p className="thinking">{TEXTS.thinking}</p>
        )}
        {message.status === "stopped" && <p className="partial-note">{TEXTS.stopped}</p>}
        {message.status === "interrupted" && <p className="partial-note">{TEXTS.interrupted}</p>}
        {message.citations.length > 0 && (
          <section className="sources" aria-label={TEXTS.sources}>
            <h3>{TEXTS.sources}</h3>
            <ul>
              {message.citations.map((c) => (
                <li key={`${c.path}#${c.section}`} title={c.path}>
                  <span className="source-title">{c.title}</span>
                  {c.section && c.section !== c.title && (
                    <span className="source-section"> · {c.section}</span>
                  )}
                </li>
              ))}
            </ul>
          </section>
        )}
      </div>
      {isLatest && message.followUp && message.status === "done" && (
        <button
          type="button"
          className="suggestion"
          onClick={() => onSuggestion(message.followUp ?? "")}
          disabled={!canSuggest}
          aria-label={`${TEXTS.suggestion}: ${message.followUp}`}
        >
          {message.followUp}
        </button>
      )}
    </article>
  );
}
