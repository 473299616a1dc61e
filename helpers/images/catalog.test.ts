import { afterEach, describe, expect, it } from "vitest";
import { readConfig } from "../config.ts";
import { DEFAULT_IMAGES, resolveImages, standinRoles, STANDIN_IMAGES } from "./catalog.ts";

describe("image catalog", () => {
  afterEach(() => {
    delete process.env.TESTCONTAINERS_HUB_IMAGE_NAME_PREFIX;
  });

  it("takes the built-in default, then the compose input, then the variable", () => {
    const config = readConfig({ MONGO_IMAGE: "mongo:7" });
    const catalog = resolveImages(config, {
      librechat: { ref: "registry.librechat.ai/danny-avila/librechat-dev:latest", file: "docker-compose.yml" },
      mongodb: { ref: "mongo:8.0.20", file: "docker-compose.yml" },
    });
    expect(catalog.meilisearch).toMatchObject({ ref: DEFAULT_IMAGES.meilisearch, source: "default" });
    expect(catalog.librechat).toMatchObject({ ref: "registry.librechat.ai/danny-avila/librechat-dev:latest", source: "compose", origin: "docker-compose.yml" });
    expect(catalog.mongodb).toMatchObject({ ref: "mongo:7", source: "env", origin: "MONGO_IMAGE" });
  });

  it("applies Testcontainers' registry prefix to hub images but not to the project's local fixtures", () => {
    process.env.TESTCONTAINERS_HUB_IMAGE_NAME_PREFIX = "mirror.example.test/hub";
    const catalog = resolveImages(readConfig({}));
    expect(catalog.mongodb.ref).toBe("mirror.example.test/hub/mongo:8.0.20");
    expect(catalog.django.ref).toBe(DEFAULT_IMAGES.django);
    expect(catalog.librechat.ref).toBe(DEFAULT_IMAGES.librechat);
  });

  it("knows which roles run on the project's stand-ins, for the report", () => {
    const catalog = resolveImages(readConfig({ LIBRECHAT_IMAGE: STANDIN_IMAGES.librechat, MONGO_IMAGE: STANDIN_IMAGES.mongodb }));
    expect(standinRoles(catalog)).toEqual(["librechat", "mongodb"]);
    expect(standinRoles(resolveImages(readConfig({})))).toEqual([]);
  });
});
