import { ConfigError } from "../config.ts";
import { errorText } from "../docker/client.ts";
import { abortAll } from "./abort.ts";

/**
 * The end of every command: runs `main`, sets its exit code, and prints an error as the one
 * sentence it is (configuration, compose input, images, ports) instead of a stack trace.
 */
export async function runMain(main: () => Promise<number | void>): Promise<void> {
  try {
    process.exitCode = (await main()) ?? 0;
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : errorText(error));
    process.exitCode = 1;
    // An aborted command leaves nothing behind: what it still owned goes now.
    await abortAll();
  }
}
