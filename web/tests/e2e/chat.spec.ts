// The web app in Debian's Chromium against the real backend with offline models.
import type { Page } from "@playwright/test";
import { mkdirSync } from "node:fs";
import { expect, READY_TIMEOUT_MS, test } from "./stack";

const SCREENSHOTS = "test-results/screenshots";
const QUESTION = "What is the minimum age for the PADI Open Water Diver course?";
const EMERGENCY = "My buddy just surfaced and now he has numbness and tingling in his arm";
const TRIP_LEAD = "I want to book a dive trip to Tioman, can you put me in touch with a dive shop?";

type Event = { type: string; [key: string]: unknown };

function eventsOf(body: string): Event[] {
  return body
    .split(/\r?\n/)
    .filter((line) => line.startsWith("data:"))
    .map((line) => JSON.parse(line.slice(5)) as Event);
}

/** Slows what the page downloads, so a stream arrives in visibly separate pieces. */
async function throttle(page: Page, bytesPerSecond: number) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: 10,
    downloadThroughput: bytesPerSecond,
    uploadThroughput: -1,
  });
}

const messageBox = (page: Page) => page.getByRole("textbox", { name: "Message" });
const lastAnswer = (page: Page) => page.getByTestId("message-assistant").last();

async function ask(page: Page, text: string) {
  await messageBox(page).fill(text);
  await page.getByRole("button", { name: "Send" }).click();
  await expect(lastAnswer(page)).toHaveAttribute("data-status", "done");
}

async function sessionId(page: Page): Promise<string> {
  const id = await page.evaluate(() => localStorage.getItem("dovvybuddy.sessionId"));
  expect(id).toBeTruthy();
  return id ?? "";
}

test.beforeAll(() => mkdirSync(SCREENSHOTS, { recursive: true }));

test("a streamed answer grows in steps, ends equal to the final message, with its sources", async ({ page }) => {
  // Keep a copy of each stream's raw bytes (the app reads its own), and hand the app one
  // server-sent event at a time, 150 ms apart. How the server's events reach the page in
  // network reads depends on the machine's load: on a busy one they can all come in one read,
  // which React renders once. Pacing by event makes the page's side of this test depend only
  // on the app, while the raw copy still shows what the server sent.
  await page.addInitScript(() => {
    const original = window.fetch.bind(window);
    const raw: Promise<string>[] = [];
    (window as unknown as { raw: Promise<string>[] }).raw = raw;
    const oneEventAtATime = (body: ReadableStream<Uint8Array>) => {
      const reader = (body as ReadableStream<BufferSource>).pipeThrough(new TextDecoderStream()).getReader();
      const encoder = new TextEncoder();
      let pending = "";
      return new ReadableStream<Uint8Array>({
        async pull(controller) {
          for (;;) {
            const end = pending.indexOf("\n\n");
            if (end >= 0) {
              await new Promise((resolve) => setTimeout(resolve, 150));
              controller.enqueue(encoder.encode(pending.slice(0, end + 2)));
              pending = pending.slice(end + 2);
              return;
            }
            const { done, value } = await reader.read();
            if (done) {
              if (pending) controller.enqueue(encoder.encode(pending));
              controller.close();
              return;
            }
            pending = (pending + value).replace(/\r\n/g, "\n");
          }
        },
        cancel: (reason) => reader.cancel(reason),
      });
    };
    window.fetch = async (input, init) => {
      const response = await original(input, init);
      const url = input instanceof Request ? input.url : String(input);
      if (!url.endsWith("/api/chat/stream") || !response.body) return response;
      const [copy, body] = response.body.tee();
      raw.push(new Response(copy).text());
      return new Response(oneEventAtATime(body), response);
    };
  });
  await page.goto("/");
  await expect(page.getByRole("log")).toHaveAttribute("aria-live", "polite");
  // Record what the diver sees of the answer each time the page changes.
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { seen: string[] }).seen = seen;
    new MutationObserver(() => {
      const answers = document.querySelectorAll('[data-testid="message-assistant"] [data-testid="answer-text"]');
      const text = answers[answers.length - 1]?.textContent ?? "";
      if (text && text !== seen[seen.length - 1]) seen.push(text);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });

  const box = messageBox(page);
  await box.fill("first line");
  await box.press("Shift+Enter");
  await box.pressSequentially("second line");
  await expect(box).toHaveValue("first line\nsecond line");
  await expect(page.getByTestId("message-user")).toHaveCount(0);

  await box.fill(QUESTION);
  await box.press("Enter");
  await expect(box).toBeFocused();
  await expect(box).toHaveValue("");
  const answer = lastAnswer(page);
  await expect(answer).toHaveAttribute("data-status", "done");

  const events = eventsOf(
    await page.evaluate(() => (window as unknown as { raw: Promise<string>[] }).raw[0]!),
  );
  const final = events.find((e) => e.type === "final") as Event & { message: string; citations: { title: string }[] };
  const tokens = events.filter((e) => e.type === "token");
  // The first token leaves at once, the rest at most every 50 ms (api/streaming.py): the
  // offline answerer writes fast, so its answer arrives in a few pieces, not word by word.
  expect(tokens.length).toBeGreaterThanOrEqual(2);
  expect(tokens.map((e) => e.content).join("")).toBe(final.message);

  const seen = await page.evaluate(() => (window as unknown as { seen: string[] }).seen);
  // It grew in steps, not all at once: the diver saw part of the answer before the whole,
  // one step per token event the server sent (each reached the app on its own, above).
  expect(seen.length).toBeGreaterThanOrEqual(2);
  expect(seen[0]!.length).toBeLessThan(seen[seen.length - 1]!.length);
  expect(seen[seen.length - 1]!.startsWith(seen[0]!.trim().split(/\s+/)[0]!)).toBe(true);
  const shown = await answer.getByTestId("answer-text").innerText();
  expect(shown.replace(/\s+/g, " ").trim()).toContain(final.message.split(/\s+/).slice(0, 4).join(" ").replace(/[*_`#]/g, ""));

  if (final.citations.length) {
    const sources = answer.getByRole("region", { name: "Sources" });
    await expect(sources).toContainText(final.citations[0]!.title);
  }

  // The stored message, rendered again after a reload, is exactly what the stream showed.
  await page.reload();
  await expect(lastAnswer(page).getByTestId("answer-text")).toHaveText(shown);
});

test("reload restores the conversation, which then carries on in the same session", async ({ page }) => {
  await page.goto("/");
  await ask(page, QUESTION);
  await ask(page, "And how long does the course take?");
  const id = await sessionId(page);
  const before = await page.getByRole("log").innerText();

  await page.reload();
  await expect(page.getByTestId("message-user")).toHaveCount(2);
  await expect(page.getByTestId("message-assistant")).toHaveCount(2);
  await expect(page.getByTestId("message-user").first()).toHaveText(QUESTION);
  expect(await sessionId(page)).toBe(id);

  await ask(page, "Thanks!");
  expect(await sessionId(page)).toBe(id);
  const stored = await (await page.request.get(`/api/sessions/${id}`)).json();
  expect(stored.messages).toHaveLength(6);
  expect(before).toContain(QUESTION);

  // New chat asks first, then starts clean and ends the old session.
  await page.getByRole("button", { name: "New chat" }).click();
  await expect(page.getByRole("alertdialog")).toContainText("Start a new chat?");
  await page.getByRole("button", { name: "Keep chatting" }).click();
  await expect(page.getByTestId("message-user")).toHaveCount(3);
  await page.getByRole("button", { name: "New chat" }).click();
  await page.getByRole("button", { name: "Yes, clear it" }).click();
  await expect(page.getByTestId("message-user")).toHaveCount(0);
  expect((await page.request.get(`/api/sessions/${id}`)).status()).toBe(404);
});

test("stop aborts the request and leaves no half turn stored", async ({ page }) => {
  await page.goto("/");
  await ask(page, "Hello!");
  const id = await sessionId(page);
  await throttle(page, 400);

  const aborted = page.waitForEvent("requestfailed", (r) => r.url().endsWith("/api/chat/stream"));
  await messageBox(page).fill("Tell me about diving in Tioman: the best season, the sites and the marine life.");
  await page.getByRole("button", { name: "Send" }).click();
  const answer = lastAnswer(page);
  await expect(answer.getByTestId("answer-text")).not.toBeEmpty();
  await page.getByRole("button", { name: "Stop" }).click();

  expect((await aborted).failure()?.errorText).toContain("ABORTED");
  await expect(page.getByRole("button", { name: "Send" })).toBeVisible();
  await expect(messageBox(page)).toBeFocused();
  await expect(answer).not.toHaveAttribute("data-status", "streaming");

  // Whatever the server managed before the stop: a whole turn or nothing, and the page agrees.
  const stored = (await (await page.request.get(`/api/sessions/${id}`)).json()) as {
    messages: { role: string; content: string }[];
  };
  expect(stored.messages.length % 2).toBe(0);
  stored.messages.forEach((m, i) => expect(m.role).toBe(i % 2 ? "assistant" : "user"));
  if ((await answer.getAttribute("data-status")) === "stopped") {
    expect(stored.messages).toHaveLength(2);
    await expect(answer).toContainText("Stopped");
  } else {
    expect(stored.messages).toHaveLength(4);
    expect(stored.messages[3]!.content.length).toBeGreaterThan(0);
  }
});

test("a trip lead is validated, stored, and a second one is recognised as a duplicate", async ({ page, stack }) => {
  const email = `diver.${Date.now()}@example.com`;
  await page.goto("/");
  await ask(page, TRIP_LEAD);
  const form = page.getByTestId("lead-form");
  await expect(form).toBeVisible();
  await expect(form.getByRole("heading")).toContainText("trip");

  await form.getByLabel("Name").fill("Ana Diver");
  await form.getByLabel("Email").fill("ana@example");
  await form.getByLabel("Destination").fill("");
  await form.getByRole("button", { name: "Send my details" }).click();
  await expect(form.getByText("Enter a valid email address")).toBeVisible();
  await expect(form.getByText("Destination is required.")).toBeVisible();
  await expect(form.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");

  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Destination").fill("Tioman");
  await form.getByLabel("Group size (optional)").fill("3");
  await form.getByRole("button", { name: "Send my details" }).click();
  await expect(page.getByTestId("lead-outcome")).toHaveText(/partner dive shop will contact you/);
  expect(stack.query("SELECT data->>'destination' FROM leads WHERE email = %s", email)).toEqual(["Tioman"]);
  expect(stack.query("SELECT data->>'groupSize' FROM leads WHERE email = %s", email)).toEqual(["3"]);

  await ask(page, TRIP_LEAD);
  const again = page.getByTestId("lead-form");
  await again.getByLabel("Name").fill("Ana Diver");
  await again.getByLabel("Email").fill(email);
  await again.getByLabel("Destination").fill("Tioman");
  await again.getByRole("button", { name: "Send my details" }).click();
  await expect(page.getByTestId("lead-outcome")).toHaveText(/already have your request/);
  expect(stack.query("SELECT count(*) FROM leads WHERE email = %s", email)).toEqual(["1"]);
});

test("an emergency reply looks unmistakably different, links every number, offers no lead", async ({ page }) => {
  await page.goto("/");
  await ask(page, EMERGENCY);
  const answer = lastAnswer(page);
  await expect(answer).toHaveAttribute("data-agent", "emergency");
  await expect(answer.getByRole("heading", { name: /Emergency: act now/ })).toBeVisible();
  const border = await answer.locator(".bubble").evaluate((el) => getComputedStyle(el).borderTopColor);
  expect(border).toBe("rgb(164, 0, 29)");

  const text = await answer.getByTestId("answer-text").innerText();
  const numbers = text.match(/\+?\d[\d\-.]*\d(?![\d%])/g)?.filter((n) => n.replace(/\D/g, "").length >= 3) ?? [];
  expect(numbers.length).toBeGreaterThanOrEqual(3);
  for (const number of numbers) {
    const link = answer.getByRole("link", { name: number, exact: true }).first();
    await expect(link).toHaveAttribute("href", `tel:${number.replace(/[^\d+]/g, "")}`);
  }
  await expect(page.getByTestId("lead-form")).toHaveCount(0);
  await expect(answer.getByRole("button")).toHaveCount(0); // no follow-up suggestion
  await page.screenshot({ path: `${SCREENSHOTS}/emergency.png` });
});

test("backend down, then back: a banner, and recovery without a reload", async ({ page, stack }) => {
  test.setTimeout(READY_TIMEOUT_MS + 120_000);
  await page.goto("/");
  await ask(page, "Hello!");
  await stack.stopBackend();

  await messageBox(page).fill("Is Tioman good in March?");
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.getByTestId("backend-down")).toBeVisible();
  await expect(messageBox(page)).toHaveValue("Is Tioman good in March?"); // nothing typed is lost
  await page.screenshot({ path: `${SCREENSHOTS}/backend-down.png` });

  await stack.startBackend();
  await expect(page.getByTestId("backend-down")).toBeHidden({ timeout: 30_000 });
  await expect(page.getByTestId("notice")).toHaveText("Reconnected.");
  await page.getByRole("button", { name: "Send" }).click();
  await expect(lastAnswer(page)).toHaveAttribute("data-status", "done");
  await expect(page.getByTestId("message-user")).toHaveCount(2);
});

test("usable at 375 px wide (screenshot)", async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 740 });
  await page.goto("/");
  await ask(page, QUESTION);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  for (const name of ["Send", "New chat", "Delete conversation"]) {
    await expect(page.getByRole("button", { name })).toBeInViewport();
  }
  await page.screenshot({ path: `${SCREENSHOTS}/mobile-375.png` });
  await page.setViewportSize({ width: 1100, height: 760 });
  await page.screenshot({ path: `${SCREENSHOTS}/desktop.png` });
});
