import { test } from "vitest";
import { configuredEnv, lastLogLines, probeUntil, processEnvOf } from "../helpers/suite/containers.ts";
import { evidence, fail, oneLine, service, stack } from "../helpers/suite/context.ts";
import { check, evidenceOf, finishedInside } from "../helpers/suite/evidence.ts";
import { fernetProblem } from "../helpers/suite/fernet.ts";
import { curlAnswer, describeCurl } from "../helpers/suite/net.ts";

const RESOLVE = "require('dns').lookup(process.argv[1],(e,a)=>console.log(e?'ERR '+e.code:a))";

test("env-wiring", check(async (ctx) => {
  const librechat = service(ctx, "librechat");
  const current = stack();
  // `docker exec librechat-api env | grep -E 'PORT|MONGO_URI'`, the guide's check, plus HOST; and
  // the .env LibreChat's dotenv reads, which `env` does not show (Compose only binds the file).
  const { env: inside, fromDotenv } = await processEnvOf(librechat.containerId);
  const shown = (name: string): string => `${name}=${inside[name] ?? "(unset)"}${fromDotenv.includes(name) ? " (from /app/.env, which `docker exec ... env` does not show)" : ""}`;
  await evidence(ctx, `inside ${librechat.containerName}: ${shown("PORT")} ${shown("HOST")} ${shown("MONGO_URI")}`);

  const logs = await lastLogLines(librechat.containerId, 400);
  const listenPort = /Server listening (?:on all interfaces at port (\d+)|at http:\/\/[^:\s]+:(\d+))/.exec(logs);
  const effectivePort = listenPort ? Number(listenPort[1] ?? listenPort[2]) : undefined;
  const wantedPort = Number(inside.PORT || 3080);
  if (effectivePort !== wantedPort) {
    await fail({
      problem: "LibreChat does not listen on the PORT it was given.",
      expected: `listening on ${wantedPort} (PORT=${inside.PORT ?? "unset → 3080"})`,
      seen: effectivePort ? `listening on ${effectivePort}` : "no listening line in the logs",
      fix: "set PORT to a number in LibreChat's .env (an empty PORT= means a random port)",
      role: "librechat",
    });
  }
  if (inside.HOST !== "0.0.0.0" || !/Server listening on all interfaces/.test(logs)) {
    await fail({
      problem: `LibreChat listens on ${inside.HOST ?? "localhost (HOST unset)"} only, so no other container can reach it.`,
      expected: "HOST=0.0.0.0 and the log line 'Server listening on all interfaces'",
      seen: `HOST=${inside.HOST ?? "(unset)"}; ${oneLine(/Server listening[^\n]*/.exec(logs)?.[0] ?? "no listening line")}`,
      fix: "set HOST=0.0.0.0 in LibreChat's environment (the guide's Environment Variables section)",
      role: "librechat",
    });
  }
  const mongoHost = /^mongodb(?:\+srv)?:\/\/(?:[^@/]*@)?([^:/?,]+)/.exec(inside.MONGO_URI ?? "")?.[1];
  const resolved = mongoHost ? (await finishedInside(`how ${mongoHost} resolves inside LibreChat`, librechat.containerId, ["node", "-e", RESOLVE, mongoHost])).stdout.trim() : "no MONGO_URI";
  const reachable = inside.MONGO_URI ? await probeUntil("whether MONGO_URI answers ping", ["mongo", inside.MONGO_URI, "admin", '{"ping":1}'], (r) => r.ok) : undefined;
  if (!mongoHost || resolved.startsWith("ERR") || !reachable?.ok) {
    await fail({
      problem: `LibreChat's MONGO_URI does not lead to MongoDB on LibreChat's networks.`,
      expected: `MONGO_URI host (${mongoHost ?? "none"}) resolving inside LibreChat and answering ping`,
      seen: `resolves to ${resolved}; ping from the internal network: ${reachable?.ok ? "ok" : (reachable?.error ?? "not tried")}`,
      fix: "MONGO_URI=mongodb://mongodb:27017/LibreChat, with mongodb a service on a network LibreChat joins",
      role: "librechat",
    });
  }
  await evidence(ctx, `MONGO_URI host ${mongoHost} resolves to ${resolved} inside LibreChat and answers ping; PORT ${wantedPort} is the listening port; HOST=0.0.0.0 listens on all interfaces`);

  for (const role of ["django", "sveltekit"] as const) {
    const stub = service(ctx, role);
    const env = await configuredEnv(stub.containerId);
    const url = env.LIBRECHAT_API_URL;
    if (!url) {
      await fail({ problem: `${stub.containerName} has no LIBRECHAT_API_URL.`, expected: "LIBRECHAT_API_URL=http://librechat-api:3080", seen: "unset", fix: "add it to the stub's .env.local/.env.prod", role });
    }
    const answer = await evidenceOf(`whether ${stub.containerName}'s LIBRECHAT_API_URL leads to LibreChat`, () => curlAnswer(role, `${url}${current.librechat.healthRoute}`), (r) => r.status === 200);
    if (answer.status !== 200) {
      await fail({
        problem: `${stub.containerName}'s LIBRECHAT_API_URL (${url}) does not lead to LibreChat.`,
        expected: `${answer.command} → 200`,
        seen: describeCurl(answer),
        fix: `LIBRECHAT_API_URL=http://librechat-api:${current.librechat.port}`,
        role: "librechat",
      });
    }
    await evidence(ctx, `${stub.containerName}: LIBRECHAT_API_URL=${url} → ${describeCurl(answer)}`);
    if (role === "django") {
      const problem = fernetProblem(env.LIBRECHAT_ENCRYPTION_KEY);
      if (problem) {
        await fail({
          problem: `Django's LIBRECHAT_ENCRYPTION_KEY is not a valid Fernet key: ${problem}.`,
          expected: "a key from Fernet.generate_key()",
          seen: `${(env.LIBRECHAT_ENCRYPTION_KEY ?? "").length} characters`,
          fix: "generate one with python3 -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'",
          role,
        });
      }
      await evidence(ctx, "Django's LIBRECHAT_ENCRYPTION_KEY is a valid Fernet key (a token encrypted with it decrypts) and Django started with it");
    }
  }
}));
