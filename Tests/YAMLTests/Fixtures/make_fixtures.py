#!/usr/bin/env python3
"""Writes Tests/YAMLTests/Fixtures/expected.json: what PyYAML's safe_load makes of each input in
Tests/YAMLTests/Fixtures/cases/*.yaml. YAMLConformanceTests checks the Swift reader against it.

Run from anywhere: python3 Tests/YAMLTests/Fixtures/make_fixtures.py   (needs PyYAML 6.0.3)

Each case is read as bytes and given to yaml.safe_load as bytes, as Regen reads files. By name:
- err-*      PyYAML must reject it; we record its message, line and column (1-based; none for a
             ValueError raised by a constructor, such as an impossible date).
- refused-*  PyYAML accepts it but Regen refuses it on purpose; we record the words Regen's error
             must contain (REFUSED below).
- any other  PyYAML must accept it; we record the value as tagged JSON (see tagged.py).
"""
import json
import pathlib
import sys

import yaml

from tagged import tag

HERE = pathlib.Path(__file__).resolve().parent
CASES = HERE / "cases"
OUT = HERE / "expected.json"

REFUSED = {
    "refused-anchor-alias": "anchors and aliases are not supported",
    "refused-anchor-only": "anchors and aliases are not supported",
    "refused-merge-key": "merge keys ('<<') are not supported",
    "refused-tag-str": "tags ('!', '!!str', ...) are not supported",
    "refused-tag-nonspecific": "tags ('!', '!!str', ...) are not supported",
    "refused-complex-key": "complex mapping keys ('? ') are not supported",
    "refused-complex-key-flow": "complex mapping keys ('? ') are not supported",
    "refused-directive": "directives (%YAML, %TAG) are not supported",
    "refused-big-int": "is too large (beyond 64 bits)",
    "refused-big-hex": "is too large (beyond 64 bits)",
    "refused-lone-surrogate": "is not a Unicode character",
    "refused-deep-nesting": "nesting deeper than 256 levels",
    "refused-utf16": "UTF-16 text is not supported",
}


def reader_position(data, position):
    """Line and column (1-based) of a code-point offset, counted as PyYAML's reader does."""
    text = data.decode("utf-8", "replace")
    line, column = 0, 0
    for index, ch in enumerate(text[:position]):
        following = text[index + 1] if index + 1 < len(text) else "\0"
        if ch in "\n\x85\u2028\u2029" or (ch == "\r" and following != "\n"):
            line, column = line + 1, 0
        elif ch != "\ufeff":
            column += 1
    return line + 1, column + 1


def expected(name, data):
    try:
        value = yaml.safe_load(data)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        return {"error": {"message": error.problem or error.context, "line": mark.line + 1, "column": mark.column + 1}}
    except yaml.reader.ReaderError as error:
        line, column = reader_position(data, error.position)
        return {"error": {"message": str(error).splitlines()[0], "line": line, "column": column}}
    except ValueError as error:
        return {"error": {"message": str(error), "line": None, "column": None}}
    if name in REFUSED:
        return {"refused": REFUSED[name], "pyyaml": ascii(value)[:200]}
    return {"value": tag(value)}


def main():
    if yaml.__version__ != "6.0.3":
        sys.exit("PyYAML 6.0.3 is needed, found %s" % yaml.__version__)
    results = {}
    problems = []
    for path in sorted(CASES.glob("*.yaml")):
        name = path.stem
        result = expected(name, path.read_bytes())
        if name.startswith("err-") and "error" not in result:
            problems.append("%s: PyYAML accepts it" % name)
        elif name.startswith("refused-") and "refused" not in result:
            problems.append("%s: PyYAML does not accept it: %s" % (name, result))
        elif not name.startswith(("err-", "refused-")) and "value" not in result:
            problems.append("%s: PyYAML rejects it: %s" % (name, result))
        results[name] = result
    if problems:
        sys.exit("\n".join(problems))
    OUT.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
    print("wrote %d expectations to %s" % (len(results), OUT))


if __name__ == "__main__":
    main()
