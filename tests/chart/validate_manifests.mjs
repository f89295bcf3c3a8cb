// Validates rendered Kubernetes manifests offline against the Kubernetes
// (and prometheus-operator) API schemas of npm's kubernetes-models: types,
// required fields, enums and formats (not unknown fields).
//
//   node validate_manifests.mjs NODE_MODULES FILE.yaml...
//
// Prints one line per document; exits 1 if any document is invalid or of a
// kind it has no model for.

import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import path from "node:path";

const [modules, ...files] = process.argv.slice(2);
const load = (name) => import(pathToFileURL(path.join(modules, name, "index.js")).href);
const yaml = (await import(pathToFileURL(path.join(modules, "js-yaml", "index.js")).href)).default;

// apiVersion -> the module holding its models.
function moduleOf(apiVersion) {
  if (apiVersion === "v1") return "kubernetes-models/v1";
  if (apiVersion.startsWith("monitoring.coreos.com/"))
    return "@kubernetes-models/prometheus-operator/" + apiVersion;
  return "kubernetes-models/" + apiVersion;
}

let failed = 0;
for (const file of files) {
  for (const doc of yaml.loadAll(readFileSync(file, "utf8"))) {
    if (!doc) continue;
    const what = `${file}: ${doc.kind} ${doc.metadata?.name}`;
    try {
      const models = await load(moduleOf(doc.apiVersion));
      const Model = models[doc.kind];
      if (!Model) throw new Error(`no model for ${doc.apiVersion} ${doc.kind}`);
      new Model(doc).validate();
      console.log(`ok ${what}`);
    } catch (e) {
      failed++;
      console.log(`INVALID ${what}: ${e.message.split("\n").slice(0, 4).join(" ")}`);
    }
  }
}
process.exit(failed ? 1 : 0);
