"use client";
// The conversation's life: restore, send and stream, stop, start anew, recover from failures.
import { useCallback, useEffect, useRef, useState } from "react";
import type { ApiClient } from "@/api/client";
import { ApiFailure, isAbort } from "@/api/failure";
import type { DiverProfile } from "@/api/types";
import { loadSessionId, saveSessionId } from "@/lib/storage";
import { TEXTS } from "@/texts";
import { applyEvent, pendingAnswer, restored, userMessage, type UiMessage } from "./conversation";

export interface SendFailure {
  kind: ApiFailure["kind"];
  message: string;
  /** The text that was not answered, for Retry. */
  text: string;
  /** When sending is allowed again (rate limited), in ms since the epoch. */
  retryAt: number | null;
}

const HEALTH_POLL_MS = 2000;

export function useChat(api: ApiClient) {
  const [messages, setMessages] = useState<UiMessage[]>([]);
  const [sessionId, setSessionId] = useState<string | null>(null);
  const [profile, setProfile] = useState<DiverProfile>({});
  const [busy, setBusy] = useState(false);
  const [restoring, setRestoring] = useState(true);
  const [failure, setFailure] = useState<SendFailure | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [backendDown, setBackendDown] = useState(false);
  const controller = useRef<AbortController | null>(null);
  const sessionRef = useRef<string | null>(null);

  const adoptSession = useCallback((id: string | null) => {
    sessionRef.current = id;
    setSessionId(id);
    saveSessionId(id);
  }, []);

  const noteFailure = useCallback((error: ApiFailure, text: string) => {
    if (error.kind === "unreachable") setBackendDown(true);
    const retryAt =
      error.retryAfterSeconds !== null ? Date.now() + error.retryAfterSeconds * 1000 : null;
    const message =
      error.kind === "unavailable"
        ? `${TEXTS.unavailable} ${error.message}`
        : error.kind === "unreachable"
          ? TEXTS.backendDown
          : error.message;
    setFailure({ kind: error.kind, message, text, retryAt });
  }, []);

  // Restore the stored conversation once, on load.
  useEffect(() => {
    const stored = loadSessionId();
    if (!stored) {
      setRestoring(false);
      return;
    }
    let cancelled = false;
    api
      .getSession(stored)
      .then((session) => {
        if (cancelled) return;
        if (session) {
          adoptSession(session.id);
          setMessages(restored(session.messages));
          setProfile(session.diverProfile);
        } else {
          adoptSession(null);
          setNotice(TEXTS.sessionExpired);
        }
      })
      .catch((error: unknown) => {
        if (cancelled) return;
        // Keep the id: the conversation may well be there once the backend is back.
        sessionRef.current = stored;
        setSessionId(stored);
        if (error instanceof ApiFailure && error.kind === "unreachable") setBackendDown(true);
      })
      .finally(() => !cancelled && setRestoring(false));
    return () => {
      cancelled = true;
    };
  }, [api, adoptSession]);

  // While the backend is unreachable, look for it again; no reload needed.
  useEffect(() => {
    if (!backendDown) return;
    const timer = window.setInterval(async () => {
      if (await api.isUp()) {
        setBackendDown(false);
        setFailure((f) => (f?.kind === "unreachable" ? null : f));
        setNotice(TEXTS.backendBack);
        // A conversation that could not be restored while down is restored now.
        const id = sessionRef.current;
        if (id) {
          const session = await api.getSession(id).catch(() => undefined);
          if (session) {
            setMessages((current) => (current.length ? current : restored(session.messages)));
            setProfile(session.diverProfile);
          }
        }
      }
    }, HEALTH_POLL_MS);
    return () => window.clearInterval(timer);
  }, [api, backendDown]);

  const updateAnswer = useCallback((id: string, change: (m: UiMessage) => UiMessage) => {
    setMessages((current) => current.map((m) => (m.id === id ? change(m) : m)));
  }, []);

  // The server may have finished the turn before it saw the stop. Then the whole answer was
  // stored, and the page shows it as the server has it: never a half turn on either side.
  const reconcileStopped = useCallback(
    async (answerId: string, question: string) => {
      const id = sessionRef.current;
      if (!id) return;
      const session = await api.getSession(id).catch(() => null);
      const stored = session?.messages ?? [];
      const [asked, answered] = stored.slice(-2);
      if (asked?.role === "user" && asked.content === question && answered?.role === "assistant") {
        updateAnswer(answerId, (m) => ({ ...m, content: answered.content, status: "done" }));
      }
    },
    [api, updateAnswer],
  );

  const send = useCallback(
    async (raw: string): Promise<boolean> => {
      const text = raw.trim();
      if (!text || controller.current) return false;
      const question = userMessage(text);
      const answer = pendingAnswer();
      setMessages((current) => [...current, question, answer]);
      setFailure(null);
      setNotice(null);
      setBusy(true);
      const abort = new AbortController();
      controller.current = abort;
      const sentWith = sessionRef.current;
      let started = false;
      try {
        const events = await api.streamChat(
          {
            message: text,
            ...(sentWith ? { sessionId: sentWith } : {}),
            ...(Object.keys(profile).length ? { diverProfile: profile } : {}),
          },
          abort.signal,
        );
        setBackendDown(false);
        for await (const event of events) {
          started = true;
          if (event.type === "session") {
            if (sentWith && event.sessionId !== sentWith) setNotice(TEXTS.sessionExpired);
            adoptSession(event.sessionId);
          } else if (event.type === "error") {
            updateAnswer(answer.id, (m) => ({ ...m, status: "interrupted" }));
            noteFailure(new ApiFailure("stream", 200, event.code, event.message), text);
            return true;
          } else {
            if (event.type === "final") setProfile(event.metadata.diverProfile ?? {});
            updateAnswer(answer.id, (m) => applyEvent(m, event));
          }
        }
        // The stream ended without its final event: keep what arrived, marked as partial.
        updateAnswer(answer.id, (m) => (m.status === "streaming" ? { ...m, status: "interrupted" } : m));
        return true;
      } catch (error) {
        if (isAbort(error)) {
          updateAnswer(answer.id, (m) => ({ ...m, status: "stopped" }));
          await reconcileStopped(answer.id, text);
          return true;
        }
        const failed =
          error instanceof ApiFailure
            ? error
            : new ApiFailure("failed", 0, "CLIENT_ERROR", String(error));
        if (started) {
          // Cut off mid-answer (connection lost): the partial answer stays, marked.
          updateAnswer(answer.id, (m) => ({ ...m, status: "interrupted" }));
        } else {
          // Nothing was answered, so nothing was stored: take the turn back, offer Retry.
          setMessages((current) => current.filter((m) => m.id !== question.id && m.id !== answer.id));
        }
        noteFailure(failed, text);
        return false;
      } finally {
        controller.current = null;
        setBusy(false);
      }
    },
    [api, profile, noteFailure, reconcileStopped, updateAnswer, adoptSession],
  );

  const stop = useCallback(() => controller.current?.abort(), []);

  const forget = useCallback(
    async (notice: string | null) => {
      controller.current?.abort();
      const id = sessionRef.current;
      if (id) {
        try {
          await api.deleteSession(id);
        } catch (error) {
          if (error instanceof ApiFailure) noteFailure(error, "");
          return;
        }
      }
      adoptSession(null);
      setMessages([]);
      setProfile({});
      setFailure(null);
      setNotice(notice);
    },
    [api, adoptSession, noteFailure],
  );

  return {
    messages,
    sessionId,
    profile,
    busy,
    restoring,
    failure,
    notice,
    backendDown,
    send,
    stop,
    retry: () => failure && send(failure.text),
    dismissFailure: () => setFailure(null),
    // Starting anew ends the old session on the server too: with the session cookie, a
    // message sent without an id would otherwise continue it.
    newChat: () => forget(null),
    deleteConversation: () => forget(TEXTS.conversationDeleted),
  };
}
