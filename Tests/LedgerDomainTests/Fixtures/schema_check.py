"""Checks NDJSON lines against the ledger's JSON Schemas with an independent validator
(python-jsonschema, draft 2020-12, format assertions on). Prints one verdict a line:
FILE<TAB>LINE<TAB>valid|invalid<TAB>first error."""
import glob
import json
import os
import sys

from jsonschema import Draft202012Validator
from referencing import Registry, Resource

schemas_dir, files = sys.argv[1], sys.argv[2:]
resources = []
for path in glob.glob(os.path.join(schemas_dir, "**", "*.json"), recursive=True):
    if os.path.basename(path) == "openapi.json":
        continue  # the service's API description, not an event schema
    with open(path, encoding="utf-8") as handle:
        resources.append(Resource.from_contents(json.load(handle)))
registry = Registry().with_resources([(resource.id(), resource) for resource in resources])
envelope = registry.contents("urn:ledger:schema:envelope")
Draft202012Validator.check_schema(envelope)
validator = Draft202012Validator(envelope, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER)

for path in files:
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                instance = json.loads(line)
            except ValueError as error:
                print(f"{path}\t{number}\tinvalid\tnot JSON: {error}")
                continue
            errors = list(validator.iter_errors(instance))
            verdict = "invalid" if errors else "valid"
            message = errors[0].message.replace("\t", " ").replace("\n", " ") if errors else ""
            print(f"{path}\t{number}\t{verdict}\t{message}")
