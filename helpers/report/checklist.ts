/** The checklist ids (stable: reports, CI and the bump gate key on them) and the guide's lines. */
export const CHECKLIST = [
  { id: "librechat-starts", title: "LibreChat starts successfully", guide: true },
  { id: "librechat-on-backend-network", title: "LibreChat is on backend-dev network", guide: true },
  { id: "django-reaches-librechat", title: "Django can reach LibreChat (curl test)", guide: true },
  { id: "sveltekit-reaches-librechat", title: "SvelteKit can reach LibreChat (curl test)", guide: true },
  { id: "healthcheck-passes", title: "Health check passes", guide: true },
  { id: "registration-creates-user", title: "User registration creates LibreChat user", guide: true },
  { id: "login-establishes-session", title: "User login establishes LibreChat session", guide: true },
  { id: "chat-routes-through-sveltekit", title: "Chat API routes work through SvelteKit", guide: true },
  { id: "dns-service-discovery", title: "Service Discovery: names and aliases resolve from each stub", guide: false },
  { id: "env-wiring", title: "Environment Variables are wired where they take effect", guide: false },
  { id: "host-port-published", title: "Port Mapping: reachable from the host, bound to loopback", guide: false },
  { id: "internal-services-isolated", title: "Production Considerations: MongoDB/MeiliSearch unreachable from the stubs", guide: false },
  { id: "session-refresh", title: "The LibreChat session held by Django can be renewed", guide: false },
  { id: "search-indexing", title: "MeiliSearch is wired: a sent message becomes searchable", guide: false },
  { id: "compose-lint", title: "Static findings on the compose files", guide: false },
] as const;

export type ChecklistId = (typeof CHECKLIST)[number]["id"];

export const CHECKLIST_IDS: readonly string[] = CHECKLIST.map((item) => item.id);

export function isChecklistId(name: string): name is ChecklistId {
  return CHECKLIST_IDS.includes(name);
}
