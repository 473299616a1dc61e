// The topology's names and ports, from the role modules that own them, for the suites.
export { BACKEND_ALIASES, HEALTH_ROUTE } from "../stack/librechat.ts";
export { DJANGO } from "../stack/django.ts";
export { SVELTEKIT } from "../stack/sveltekit.ts";
export { MEILI_ALIAS, MEILI_PORT } from "../stack/meilisearch.ts";
export { MOCK_LLM } from "../stack/mock-llm.ts";
export { MONGO_ALIAS, MONGO_PORT } from "../stack/mongodb.ts";
