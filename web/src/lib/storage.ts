// What the browser keeps between visits: the session id and the leads already sent.

const SESSION_KEY = "dovvybuddy.sessionId";
const LEADS_KEY = "dovvybuddy.leadIds";

function storage(): Storage | null {
  try {
    return typeof window === "undefined" ? null : window.localStorage;
  } catch {
    return null; // storage disabled: the session lives for this page only
  }
}

export function loadSessionId(): string | null {
  return storage()?.getItem(SESSION_KEY) ?? null;
}

export function saveSessionId(id: string | null): void {
  const store = storage();
  if (!store) return;
  if (id) store.setItem(SESSION_KEY, id);
  else store.removeItem(SESSION_KEY);
}

/** Remember a lead id; true when it was already known (the server merged a duplicate). */
export function rememberLead(leadId: string): boolean {
  const store = storage();
  const known: string[] = JSON.parse(store?.getItem(LEADS_KEY) ?? "[]");
  if (known.includes(leadId)) return true;
  store?.setItem(LEADS_KEY, JSON.stringify([...known, leadId].slice(-20)));
  return false;
}
