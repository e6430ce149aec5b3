"use client";
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from "react";
import { createApi } from "@/api/client";
import { useChat } from "@/chat/useChat";
import { TEXTS } from "@/texts";
import LeadForm from "./LeadForm";
import MessageView from "./MessageView";

const NEAR_BOTTOM_PX = 48;
type Confirming = "new" | "delete" | null;

function useCountdown(until: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!until) return;
    const timer = window.setInterval(() => setNow(Date.now()), 250);
    return () => window.clearInterval(timer);
  }, [until]);
  return until ? Math.max(0, Math.ceil((until - now) / 1000)) : 0;
}

export default function Chat() {
  const api = useMemo(() => createApi(), []);
  const chat = useChat(api);
  const [draft, setDraft] = useState("");
  const [confirming, setConfirming] = useState<Confirming>(null);
  const [dismissedLeads, setDismissedLeads] = useState<Set<string>>(() => new Set());
  const [following, setFollowing] = useState(true);
  const logRef = useRef<HTMLDivElement>(null);
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const waitSeconds = useCountdown(chat.failure?.retryAt ?? null);
  const rateLimited = chat.failure?.kind === "rate_limited" && waitSeconds > 0;

  // Follow the answer as it grows, unless the diver has scrolled up to read.
  useLayoutEffect(() => {
    const log = logRef.current;
    if (log && following) log.scrollTop = log.scrollHeight;
  }, [chat.messages, following]);

  const onScroll = useCallback(() => {
    const log = logRef.current;
    if (!log) return;
    setFollowing(log.scrollHeight - log.scrollTop - log.clientHeight < NEAR_BOTTOM_PX);
  }, []);

  const jumpToLatest = () => {
    const log = logRef.current;
    if (log) log.scrollTo({ top: log.scrollHeight, behavior: "smooth" });
    setFollowing(true);
  };

  const submit = async (text: string) => {
    if (!text.trim() || chat.busy || rateLimited) return;
    setDraft("");
    setFollowing(true);
    inputRef.current?.focus();
    const sent = await chat.send(text);
    // Nothing was stored: the words come back to the box so nothing typed is lost.
    if (!sent) setDraft((current) => current || text);
    inputRef.current?.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void submit(draft);
    }
  };

  const startOver = async (kind: Exclude<Confirming, null>) => {
    setConfirming(null);
    if (kind === "new") await chat.newChat();
    else await chat.deleteConversation();
    setDismissedLeads(new Set());
    inputRef.current?.focus();
  };

  const askNewChat = () => {
    if (chat.messages.length >= 2) setConfirming("new");
    else void startOver("new");
  };

  const last = chat.messages[chat.messages.length - 1];
  const leadMessage =
    last && last.role === "assistant" && last.status === "done" && last.leadType && !dismissedLeads.has(last.id)
      ? last
      : null;

  return (
    <div className="app">
      <header className="topbar">
        <div>
          <h1>{TEXTS.appName}</h1>
          <p className="tagline">{TEXTS.tagline}</p>
        </div>
        <nav className="toolbar" aria-label="Conversation">
          <button type="button" onClick={askNewChat} disabled={chat.restoring}>
            {TEXTS.newChat}
          </button>
          <button
            type="button"
            onClick={() => setConfirming("delete")}
            disabled={!chat.sessionId || chat.restoring}
          >
            {TEXTS.deleteConversation}
          </button>
        </nav>
      </header>

      {confirming && (
        <div className="banner confirm" role="alertdialog" aria-labelledby="confirm-text">
          <p id="confirm-text">{confirming === "new" ? TEXTS.confirmNewChat : TEXTS.confirmDelete}</p>
          <button type="button" className="danger" onClick={() => void startOver(confirming)}>
            {TEXTS.confirmYes}
          </button>
          <button type="button" onClick={() => setConfirming(null)}>
            {TEXTS.confirmNo}
          </button>
        </div>
      )}
      {chat.backendDown && (
        <div className="banner offline" role="alert" data-testid="backend-down">
          {TEXTS.backendDown}
        </div>
      )}
      {chat.notice && !chat.backendDown && (
        <div className="banner notice" role="status" data-testid="notice">
          {chat.notice}
        </div>
      )}

      <main className="conversation-area">
        <div
          className="log"
          ref={logRef}
          onScroll={onScroll}
          role="log"
          aria-live="polite"
          aria-label="Conversation"
          data-testid="conversation"
        >
          {chat.restoring ? (
            <p className="welcome">{TEXTS.restoring}</p>
          ) : (
            chat.messages.length === 0 && <p className="welcome">{TEXTS.welcome}</p>
          )}
          {chat.messages.map((message, index) => (
            <MessageView
              key={message.id}
              message={message}
              isLatest={index === chat.messages.length - 1}
              canSuggest={!chat.busy && !rateLimited}
              onSuggestion={(text) => void submit(text)}
            />
          ))}
          {leadMessage?.leadType && (
            <LeadForm
              key={leadMessage.id}
              api={api}
              type={leadMessage.leadType}
              profile={chat.profile}
              sessionId={chat.sessionId}
              onDismiss={() => setDismissedLeads((s) => new Set(s).add(leadMessage.id))}
            />
          )}
        </div>
        {!following && (
          <button type="button" className="jump" onClick={jumpToLatest}>
            {TEXTS.jumpToLatest} ↓
          </button>
        )}
      </main>

      {chat.failure && chat.failure.kind !== "unreachable" && (
        <div className="banner error" role="alert" data-testid="failure">
          <p>
            {chat.failure.kind === "rate_limited"
              ? waitSeconds > 0
                ? TEXTS.rateLimited(waitSeconds)
                : TEXTS.rateLimitedOver
              : chat.failure.message}
          </p>
          {chat.failure.text && !rateLimited && chat.failure.kind !== "validation" && (
            <button type="button" onClick={() => { setDraft(""); void chat.retry(); }} disabled={chat.busy}>
              {TEXTS.retry}
            </button>
          )}
        </div>
      )}

      <form
        className="composer"
        onSubmit={(event) => {
          event.preventDefault();
          void submit(draft);
        }}
      >
        <label htmlFor="message" className="visually-hidden">
          {TEXTS.messageLabel}
        </label>
        <textarea
          id="message"
          ref={inputRef}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={onKeyDown}
          placeholder={TEXTS.messagePlaceholder}
          rows={2}
          maxLength={2000}
          autoFocus
        />
        {chat.busy ? (
          <button type="button" className="stop" onClick={chat.stop}>
            {TEXTS.stop}
          </button>
        ) : (
          <button type="submit" className="primary" disabled={!draft.trim() || rateLimited || chat.restoring}>
            {TEXTS.send}
          </button>
        )}
      </form>
    </div>
  );
}
