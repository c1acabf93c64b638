"""Validates SARIF logs against the official SARIF 2.1.0 JSON schema.

Usage: python3 validate_sarif.py SCHEMA LOG...
Exit 0 when every log is valid, 1 when one is not (errors on stderr), 3 when jsonschema is
missing (install it with `python3 -m pip install jsonschema`).
"""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("python3 module 'jsonschema' is missing: python3 -m pip install jsonschema", file=sys.stderr)
    sys.exit(3)

schema = json.load(open(sys.argv[1], encoding="utf-8"))
validator = jsonschema.Draft4Validator(schema)
status = 0
for path in sys.argv[2:]:
    log = json.load(open(path, encoding="utf-8"))
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    for error in errors[:20]:
        print(f"{path}: {'/'.join(map(str, error.path))}: {error.message[:300]}", file=sys.stderr)
    if errors:
        status = 1
sys.exit(status)
