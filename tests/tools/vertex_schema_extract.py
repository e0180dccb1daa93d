#!/usr/bin/env python3
"""Makes tests/data/vertex_aiplatform_v1_schema.json, the copy of Vertex AI's REST schema that
tests/vertex_templates_test.sh checks jobs/vertex/ against.

Source: Google's own definitions of the API, build/protos/protos.json in the npm package
@google-cloud/aiplatform (the protobufjs form of google/cloud/aiplatform/v1/*.proto, from which
the REST API and its discovery document are generated; REST bodies are the protos' JSON mapping,
field names in lowerCamelCase, as protos.json already spells them). Keeps the messages reachable
from CustomJob, HyperparameterTuningJob and Model, each field's type, repetition, oneof and
field_behavior, and the enums' value names. Run once, offline after the download:
  npm pack @google-cloud/aiplatform@7.4.0 && tar xzf google-cloud-aiplatform-7.4.0.tgz
  tests/tools/vertex_schema_extract.py package/build/protos/protos.json \
      > tests/data/vertex_aiplatform_v1_schema.json
"""
import json
import sys

ROOTS = ['google.cloud.aiplatform.v1.CustomJob',
         'google.cloud.aiplatform.v1.HyperparameterTuningJob',
         'google.cloud.aiplatform.v1.Model']
SCALARS = {'string', 'bytes', 'bool', 'double', 'float', 'int32', 'int64', 'uint32', 'uint64',
           'sint32', 'sint64', 'fixed32', 'fixed64', 'sfixed32', 'sfixed64'}


def index(node, prefix, out):
    """Every message and enum under `node`, by full name."""
    for name, child in node.get('nested', {}).items():
        full = f'{prefix}.{name}' if prefix else name
        if 'fields' in child or 'values' in child:
            out[full] = child
        index(child, full, out)
    return out


def resolve(name, scope, types):
    """protobufjs resolution: the innermost enclosing scope that has the name wins."""
    if name.startswith('.'):
        return name[1:]
    parts = scope.split('.')
    while parts:
        candidate = '.'.join(parts + [name])
        if candidate in types:
            return candidate
        parts.pop()
    return name if name in types else None


def main():
    proto = json.load(open(sys.argv[1]))
    types = index(proto, '', {})
    out, todo = {}, list(ROOTS)
    while todo:
        full = todo.pop()
        if full in out:
            continue
        node = types[full]
        if 'values' in node:
            out[full] = {'enum': sorted(node['values'])}
            continue
        oneof_of = {f: o for o, spec in node.get('oneofs', {}).items() if not o.startswith('_')
                    for f in spec['oneof']}
        fields = {}
        for fname, f in node['fields'].items():
            t = f['type']
            entry = {}
            if t not in SCALARS:
                t = resolve(t, full, types) or t
                if t.startswith('google.cloud.aiplatform.'):
                    todo.append(t)
            entry['type'] = t
            if f.get('rule') == 'repeated':
                entry['repeated'] = True
            if 'keyType' in f:
                entry['map'] = f['keyType']
            behavior = f.get('options', {}).get('(google.api.field_behavior)')
            if behavior:
                entry['behavior'] = behavior
            if fname in oneof_of:
                entry['oneof'] = oneof_of[fname]
            fields[fname] = entry
        out[full] = {'fields': fields}
    json.dump({'source': '@google-cloud/aiplatform 7.4.0 build/protos/protos.json',
               'types': dict(sorted(out.items()))}, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()
