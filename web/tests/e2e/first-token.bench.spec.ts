// Figures, not pass/fail: time from pressing Send to the first visible token of the answer,
// measured inside the page, over 20 sends on the real backend with offline models.
import { expect, test } from "./stack";

const SENDS = 20;
const QUESTIONS = [
  "What is the minimum age for the PADI Open Water Diver course?",
  "When is the best season to dive Tioman?",
  "How do I equalise my ears?",
  "What does Advanced Open Water teach?",
];

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

test("send to first visible token @bench", async ({ page }) => {
  test.setTimeout(600_000);
  await page.goto("/");
  const firstToken: number[] = [];
  const done: number[] = [];
  for (let i = 0; i < SENDS; i++) {
    await page.getByRole("textbox", { name: "Message" }).fill(QUESTIONS[i % QUESTIONS.length]!);
    const [toFirst, toDone] = await page.evaluate(
      () =>
        new Promise<[number, number]>((resolve) => {
          const before = document.querySelectorAll('[data-testid="message-assistant"]').length;
          let first = 0;
          const start = performance.now();
          const observer = new MutationObserver(() => {
            const answers = document.querySelectorAll('[data-testid="message-assistant"]');
            const answer = answers[answers.length - 1];
            if (answers.length <= before || !answer) return;
            if (!first && answer.querySelector('[data-testid="answer-text"]')?.textContent) {
              first = performance.now() - start;
            }
            if (answer.getAttribute("data-status") !== "streaming") {
              observer.disconnect();
              resolve([first || performance.now() - start, performance.now() - start]);
            }
          });
          observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
          (document.querySelector('button[type="submit"]') as HTMLButtonElement).click();
        }),
    );
    firstToken.push(toFirst);
    done.push(toDone);
  }
  expect(firstToken).toHaveLength(SENDS);
  const fmt = (v: number) => `${v.toFixed(0)} ms`;
  console.log(
    `send → first visible token over ${SENDS} sends (offline models): ` +
      `p50 ${fmt(percentile(firstToken, 50))}, p95 ${fmt(percentile(firstToken, 95))}, ` +
      `min ${fmt(Math.min(...firstToken))}, max ${fmt(Math.max(...firstToken))}`,
  );
  console.log(
    `send → answer complete: p50 ${fmt(percentile(done, 50))}, p95 ${fmt(percentile(done, 95))}`,
  );
});
