#!/usr/bin/env python3
"""The source layout's rules, checked: which room may include which, and which rules live in
one room only. Usage: layout_rules.py [ROOT] (default: the repository). Exit 1 names every
break. The README's "Source layout" section draws the same arrows as ALLOWED."""
import os
import re
import sys

# Room -> rooms its files may include (besides itself). Longest matching prefix wins.
ALLOWED = {
    'base': [],
    'model': ['base'],
    'data': ['base'],
    'cloud': ['base'],
    'cloud/aws': ['base', 'cloud'],
    'cloud/gcp': ['base', 'cloud'],
    'storage': ['base', 'model', 'data', 'cloud', 'cloud/aws', 'cloud/gcp'],
    'sweep/spec': ['base', 'model', 'storage'],
    'sweep/results': ['base', 'storage', 'sweep/spec'],
    'sweep/report': ['base', 'storage', 'sweep/spec', 'sweep/results'],
    'sweep/search': ['base', 'storage', 'sweep/spec'],
    'sweep/run': ['base', 'storage', 'sweep/spec', 'sweep/results', 'sweep/search'],
    'sweep/engines': ['base', 'cloud', 'cloud/aws', 'storage', 'sweep/spec', 'sweep/results',
                      'sweep/run', 'sweep/search'],
    'sweep/predict': ['base', 'model', 'data', 'storage', 'sweep/spec', 'sweep/results'],
    'sweep/serve': ['base', 'model', 'sweep/predict', 'cloud', 'cloud/aws'],
    'sweep': ['base', 'model', 'storage', 'sweep/spec', 'sweep/results', 'sweep/report',
              'sweep/run', 'sweep/engines', 'sweep/predict', 'sweep/serve', 'sweep/search'],
    'worker': ['base', 'model', 'data', 'storage', 'sweep/spec', 'sweep/search', 'cloud',
               'cloud/aws'],
}
# Test binaries, benchmarks and test tools may include any room.
FREE = ('tests/', 'bench/')

# Rules that live in one room: a pattern, where it may appear, and why.
ONE_PLACE = [
    (r'"(result\.json|sweep\.json|\.slurm|model\.h5|model/model\.h5|worker\.log)"',
     ['storage/layout.'], 'storage file names are spelled only in storage/layout'),
    (r'\bProfileConfig\b|[gG]et[eE]nv\("AWS_|amazonaws\.com',
     ['cloud/aws/'], 'AWS profile, region and endpoint resolution live in cloud/aws'),
    (r'[gG]et[eE]nv\("(GOOGLE_|GCE_|STORAGE_EMULATOR_HOST)|googleapis\.com',
     ['cloud/gcp/'], 'Google credentials and endpoints are resolved only in cloud/gcp'),
    (r'\bRetryPolicy\b', ['cloud/'], 'retry policies live in cloud (one per provider)'),
]


def room_of(path):
    best = None
    for room in ALLOWED:
        if path.startswith(room + '/') and (best is None or len(room) > len(best)):
            best = room
    return best


def sources(root):
    for top, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith('.') and d not in ('build', 'node_modules')]
        for name in files:
            if name.endswith(('.cc', '.h', '.h.in')):
                yield os.path.relpath(os.path.join(top, name), root)


def check(root):
    breaks = []
    for path in sorted(sources(root)):
        with open(os.path.join(root, path), encoding='utf-8') as f:
            text = f.read()
        is_test = path.endswith('_test.cc') or path.startswith(FREE)
        room = room_of(path)
        if room and not is_test:
            for n, line in enumerate(text.splitlines(), 1):
                m = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
                if not m:
                    continue
                target = room_of(m.group(1))
                if target and target != room and target not in ALLOWED[room]:
                    breaks.append(f'{path}:{n}: {room}/ may not include {m.group(1)} '
                                  f'({room} -> {", ".join(ALLOWED[room]) or "nothing"})')
        if is_test:
            continue
        code = re.sub(r'//[^\n]*', '', text)
        for pattern, homes, why in ONE_PLACE:
            if any(path.startswith(h) for h in homes):
                continue
            for m in re.finditer(pattern, code):
                n = code.count('\n', 0, m.start()) + 1
                breaks.append(f'{path}:{n}: {m.group(0)}: {why}')
    return breaks


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..')
    breaks = check(os.path.abspath(root))
    for b in breaks:
        print(b)
    if breaks:
        print(f'layout_rules: {len(breaks)} break(s)')
        return 1
    print('layout_rules: ok')
    return 0


if __name__ == '__main__':
    sys.exit(main())
