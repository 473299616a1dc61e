// Reads LibreChat's MongoDB from where LibreChat sees it: the probe container on the internal
// network runs the command, since MongoDB publishes no port.
import { probeUntil } from "./containers.ts";
import { fail, stack } from "./context.ts";

export type MongoDocument = Record<string, unknown>;

export type MongoFind = { ok: true; documents: MongoDocument[] } | { ok: false; error: string };

/**
 * `find` on one collection of LibreChat's database, retried until MongoDB answers or the deadline
 * (inconclusive when the probe never finished). The filter is Extended JSON, so an ObjectId is
 * written `{"$oid": "<hex>"}`; documents come back in relaxed Extended JSON (ObjectIds as
 * `{"$oid"}`, dates as `{"$date"}`).
 */
export async function findDocuments(collection: string, filter: Record<string, unknown>, limit = 20): Promise<MongoFind> {
  const current = stack();
  const command = JSON.stringify({ find: collection, filter, limit });
  const reply = await probeUntil(`what MongoDB holds in ${collection}`, ["mongo", current.mongo.uri, current.mongo.database, command], (r) => r.ok);
  if (!reply.ok) return { ok: false, error: reply.error ?? "the probe reported a failure without a message" };
  if (!Array.isArray(reply.documents)) return { ok: false, error: "the find command answered without a cursor" };
  return { ok: true, documents: reply.documents.filter((d): d is MongoDocument => d !== null && typeof d === "object") };
}

/** `find` whose failure to read MongoDB at all fails the check, with that diagnosis. */
export async function readDocuments(collection: string, filter: Record<string, unknown>): Promise<MongoDocument[]> {
  const found = await findDocuments(collection, filter);
  if (found.ok) return found.documents;
  return fail({
    problem: "MongoDB could not be read from the internal network.",
    expected: `find on ${collection} in ${mongoWhere()} answers`,
    seen: found.error,
    fix: "MongoDB must be up on the internal network under the alias LibreChat's MONGO_URI names",
    role: "mongodb",
  });
}

/** The hex of an ObjectId in relaxed Extended JSON, or the value itself when it is a string. */
export function idText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (value !== null && typeof value === "object" && typeof (value as { $oid?: unknown }).$oid === "string") {
    return (value as { $oid: string }).$oid;
  }
  return undefined;
}

/** An Extended JSON filter value for a user id: an ObjectId when it looks like one. */
export function objectIdFilter(id: string): unknown {
  return /^[0-9a-f]{24}$/i.test(id) ? { $oid: id } : id;
}

export function mongoWhere(): string {
  const { uri, database } = stack().mongo;
  return `${uri}/${database}`;
}
