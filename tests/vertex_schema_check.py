#!/usr/bin/env python3
"""Checks a Vertex AI REST request body against tests/data/vertex_aiplatform_v1_schema.json
(Google's aiplatform v1 protos, tests/tools/vertex_schema_extract.py), strictly: unknown
fields, JSON types of the proto3 JSON mapping (int64 as number or decimal string, Duration as
"3600s"), enum value names, REQUIRED fields present, OUTPUT_ONLY fields absent, at most one
field of a oneof. Prints every problem with its path; exit 1 when there is one.

Usage: vertex_schema_check.py SCHEMA BODY.json TYPE [FIELD]
  TYPE is a message name under google.cloud.aiplatform.v1 (CustomJob, HyperparameterTuningJob,
  Model); FIELD checks BODY[FIELD] instead of BODY (models:upload sends {"model": Model}).
"""
import json
import re
import sys

PREFIX = 'google.cloud.aiplatform.v1.'
INTS = {'int32', 'uint32', 'sint32', 'fixed32', 'sfixed32'}
LONGS = {'int64', 'uint64', 'sint64', 'fixed64', 'sfixed64'}
WELL_KNOWN = {
    'google.protobuf.Duration': lambda v: isinstance(v, str) and re.fullmatch(r'-?\d+(\.\d+)?s', v),
    'google.protobuf.Timestamp': lambda v: isinstance(v, str),
    'google.protobuf.Value': lambda v: True,
    'google.protobuf.ListValue': lambda v: isinstance(v, list),
    'google.protobuf.Struct': lambda v: isinstance(v, dict),
    'google.protobuf.Int32Value': lambda v: isinstance(v, int) and not isinstance(v, bool),
    'google.protobuf.BoolValue': lambda v: isinstance(v, bool),
    'google.rpc.Status': lambda v: isinstance(v, dict),
}


def behaviors(field):
    b = field.get('behavior', [])
    return set(b if isinstance(b, list) else [b])


def scalar_ok(t, v):
    if t in ('string', 'bytes'):
        return isinstance(v, str)
    if t == 'bool':
        return isinstance(v, bool)
    if t in ('double', 'float'):
        return (isinstance(v, (int, float)) and not isinstance(v, bool)) or \
            v in ('NaN', 'Infinity', '-Infinity')
    if t in INTS | LONGS:
        if isinstance(v, str):
            return re.fullmatch(r'-?\d+', v) is not None
        return isinstance(v, int) and not isinstance(v, bool)
    return None


class Checker:
    def __init__(self, schema):
        self.types = schema['types']
        self.problems = []

    def value(self, t, v, path):
        ok = scalar_ok(t, v)
        if ok is not None:
            if not ok:
                self.problems.append(f'{path}: {json.dumps(v)} is not a {t}')
            return
        if t in WELL_KNOWN:
            if not WELL_KNOWN[t](v):
                self.problems.append(f'{path}: {json.dumps(v)} is not a {t}')
            return
        node = self.types.get(t)
        if node is None:
            self.problems.append(f'{path}: type {t} is not in the schema copy')
        elif 'enum' in node:
            if v not in node['enum']:
                self.problems.append(f'{path}: {json.dumps(v)} is not one of {node["enum"]}')
        else:
            self.message(t, v, path)

    def message(self, t, body, path):
        if not isinstance(body, dict):
            self.problems.append(f'{path}: expected an object ({t.replace(PREFIX, "")})')
            return
        fields = self.types[t]['fields']
        oneofs = {}
        for key, v in body.items():
            f = fields.get(key)
            where = f'{path}.{key}'
            if f is None:
                self.problems.append(f'{where}: unknown field of {t.replace(PREFIX, "")}')
                continue
            if 'OUTPUT_ONLY' in behaviors(f):
                self.problems.append(f'{where}: output only, must not be sent')
            if 'oneof' in f:
                oneofs.setdefault(f['oneof'], []).append(key)
            if 'map' in f:
                items = v.items() if isinstance(v, dict) else []
                if not isinstance(v, dict):
                    self.problems.append(f'{where}: expected a map')
                for k, item in items:
                    self.value(f['type'], item, f'{where}[{k}]')
            elif f.get('repeated'):
                if not isinstance(v, list):
                    self.problems.append(f'{where}: expected a list')
                    continue
                for i, item in enumerate(v):
                    self.value(f['type'], item, f'{where}[{i}]')
            else:
                self.value(f['type'], v, where)
        for name, f in fields.items():
            if 'REQUIRED' in behaviors(f) and name not in body:
                self.problems.append(f'{path}.{name}: required')
        for group, keys in oneofs.items():
            if len(keys) > 1:
                self.problems.append(f'{path}: {", ".join(keys)} are one of {group}: set one')


def main():
    schema = json.load(open(sys.argv[1]))
    body = json.load(open(sys.argv[2]))
    path = '$'
    if len(sys.argv) > 4:
        body, path = body.get(sys.argv[4]), f'$.{sys.argv[4]}'
    checker = Checker(schema)
    checker.message(PREFIX + sys.argv[3], body, path)
    for p in checker.problems:
        print(p)
    if checker.problems:
        sys.exit(1)
    print(f'{sys.argv[2]}: a valid {sys.argv[3]}')


if __name__ == '__main__':
    main()
