"""Validates JSON documents against the vendored OGC API schemas (JSON Schema 2020-12 in YAML).

Usage: /usr/bin/python3 ogc_schema_check.py SCHEMA_DIR SCHEMA.yaml DOCUMENT.json [SCHEMA.yaml DOCUMENT.json ...]
Prints one JSON object: {"DOCUMENT.json": ["error", ...], ...}; an empty list means valid.
"""
import json
import pathlib
import sys

import jsonschema
import yaml


def nulls(node):
    # YAML reads the OpenAPI 3.1 type name null as a null value; JSON Schema wants "null".
    if isinstance(node, dict):
        return {k: ('null' if k == 'type' and v is None else
                    [('null' if t is None else t) for t in v] if k == 'type' and isinstance(v, list) else nulls(v))
                for k, v in node.items()}
    if isinstance(node, list):
        return [nulls(v) for v in node]
    return node


root = pathlib.Path(sys.argv[1]).resolve()


def load(uri):
    return nulls(yaml.safe_load(pathlib.Path(uri.removeprefix('file://')).read_text(encoding='utf-8')))


result = {}
args = sys.argv[2:]
for schema_name, document in zip(args[0::2], args[1::2]):
    schema = load((root / schema_name).as_uri())
    resolver = jsonschema.RefResolver(base_uri=(root / schema_name).as_uri(), referrer=schema, handlers={'file': load})
    validator = jsonschema.Draft202012Validator(schema, resolver=resolver, format_checker=jsonschema.FormatChecker())
    instance = json.loads(pathlib.Path(document).read_text(encoding='utf-8'))
    result[document] = sorted(f"{'/'.join(str(p) for p in e.absolute_path)}: {e.message}" for e in validator.iter_errors(instance))
print(json.dumps(result))
