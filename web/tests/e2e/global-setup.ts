import { Stack } from "./stack";

export default async function globalSetup() {
  const stack = await Stack.create();
  try {
    await stack.startBackend();
    await stack.startWeb();
  } catch (error) {
    await stack.stopAll();
    throw error;
  }
  // Playwright calls this when the run ends, failed or not.
  return async () => {
    await Stack.load().stopAll();
  };
}
