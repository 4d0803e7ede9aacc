#!/usr/bin/env python3
"""Renders every conformance case with the real Jinja2 3.1.6 and writes the fixture.

    python3 Tests/JinjaTests/Conformance/generate.py

Reads cases/*.py (each defines CASES, a list built with cases/_case.py) and writes
Tests/JinjaTests/Fixtures/conformance.json. The output is deterministic: groups in file-name
order, cases in the order written, keys sorted.
"""

import importlib.util
import json
import math
import pathlib
import sys
import traceback

import jinja2
from jinja2 import BaseLoader, Environment, StrictUndefined, TemplateNotFound, Undefined
from markupsafe import Markup

REQUIRED_VERSION = "3.1.6"
HERE = pathlib.Path(__file__).resolve().parent
CASES_DIR = HERE / "cases"
FIXTURE = HERE.parent / "Fixtures" / "conformance.json"

# Exception types the Swift runner knows how to map (see ConformanceTests.swift).
KNOWN_ERROR_TYPES = {
    "TemplateSyntaxError", "TemplateAssertionError", "UndefinedError", "TypeError",
    "TemplateNotFound", "TemplatesNotFound", "RecursionError", "ZeroDivisionError",
    "ValueError", "OverflowError", "TemplateRuntimeError", "FilterArgumentError",
    "KeyError", "IndexError", "AttributeError",
}


class NamedDictLoader(BaseLoader):
    """jinja2.DictLoader, except that a template's filename is its name, so that the rewritten
    traceback of a runtime error says which template and which line raised it."""

    def __init__(self, mapping):
        self.mapping = mapping

    def get_source(self, environment, template):
        if template in self.mapping:
            return self.mapping[template], template, lambda: True
        raise TemplateNotFound(template)

    def list_templates(self):
        return sorted(self.mapping)


def tag(value):
    """A Python value as tagged JSON that keeps types (int/float, list/tuple) and dict order."""
    if value is None:
        return {"none": None}
    if isinstance(value, bool):
        return {"bool": value}
    if isinstance(value, int):
        if not -(2**63) <= value < 2**63:
            raise ValueError(f"int {value} does not fit in 64 bits")
        return {"int": value}
    if isinstance(value, float):
        return {"float": repr(value)}
    if isinstance(value, Markup):
        return {"markup": str(value)}
    if isinstance(value, str):
        return {"str": value}
    if isinstance(value, list):
        return {"list": [tag(v) for v in value]}
    if isinstance(value, tuple):
        return {"tuple": [tag(v) for v in value]}
    if isinstance(value, dict):
        return {"dict": [[tag(k), tag(v)] for k, v in value.items()]}
    raise TypeError(f"cannot tag {type(value).__name__}: {value!r}")


def make_environment(case):
    opts = case["options"]
    return Environment(
        loader=NamedDictLoader(case["templates"]),
        undefined=StrictUndefined if opts["undefined"] == "strict" else Undefined,
        autoescape=opts["autoescape"],
        trim_blocks=opts["trim_blocks"],
        lstrip_blocks=opts["lstrip_blocks"],
        keep_trailing_newline=opts["keep_trailing_newline"],
    )


def describe_error(exc, templates):
    """Type name, message, and the template and line Jinja2 blames (None when it blames none)."""
    kind = type(exc).__name__
    if isinstance(exc, jinja2.TemplateSyntaxError):
        # str() of a syntax error appends the source line; the message alone is what we want.
        return {"type": kind, "message": exc.message, "line": exc.lineno, "template": exc.name}
    if isinstance(exc, RecursionError):
        # Where Python runs out of stack is an accident of its limit; record no place.
        return {"type": kind, "message": "maximum recursion depth exceeded", "line": None,
                "template": None}
    line = template = None
    # Jinja2 rewrites the traceback so that template code appears as frames whose filename is
    # the template's (our loader makes that its name); the innermost such frame is the culprit.
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename in templates:
            template, line = frame.filename, frame.lineno
    message = exc.message if isinstance(exc, jinja2.TemplateError) and exc.message else str(exc)
    return {"type": kind, "message": message, "line": line, "template": template}


def run_case(case):
    env = make_environment(case)
    try:
        output = env.get_template(case["entry"]).render(case["context"])
    except Exception as exc:  # noqa: BLE001 - every failure is data here
        return None, describe_error(exc, case["templates"])
    return output, None


def load_groups():
    sys.dont_write_bytecode = True  # keep __pycache__ out of the test target's folder
    sys.path.insert(0, str(CASES_DIR))
    for path in sorted(CASES_DIR.glob("*.py")):
        if path.name.startswith("_"):
            continue
        spec = importlib.util.spec_from_file_location(f"cases_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        yield path.stem, module.CASES


def main():
    if jinja2.__version__ != REQUIRED_VERSION:
        sys.exit(f"need Jinja2 {REQUIRED_VERSION}, found {jinja2.__version__}")
    sys.setrecursionlimit(1000)  # the default; recursion cases depend on it finishing quickly
    fixture, names, problems = [], set(), []
    counts = {}
    for group, cases in load_groups():
        for case in cases:
            name = case["name"]
            if name in names:
                problems.append(f"duplicate case name {name!r}")
            names.add(name)
            if case["entry"] not in case["templates"] and not case["expect_error"]:
                problems.append(f"{name}: entry {case['entry']!r} is not among its templates")
            output, err = run_case(case)
            if case["expect_error"] and err is None:
                problems.append(f"{name}: expected an error, rendered {output!r}")
            if not case["expect_error"] and err is not None:
                problems.append(f"{name}: unexpected {err['type']}: {err['message']}")
            if err is not None and err["type"] not in KNOWN_ERROR_TYPES:
                problems.append(f"{name}: {err['type']} is not mapped in the Swift runner")
            record = {
                "name": name,
                "group": group,
                "entry": case["entry"],
                "templates": case["templates"],
                "options": case["options"],
                "context": tag(case["context"]),
            }
            if err is None:
                record["output"] = output
            else:
                record["error"] = err
            fixture.append(record)
            counts.setdefault(group, [0, 0])
            counts[group][0] += 1
            counts[group][1] += err is not None
    if problems:
        sys.exit("\n".join(problems))
    FIXTURE.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(fixture, indent=1, ensure_ascii=False, sort_keys=True)
    FIXTURE.write_text(text + "\n", encoding="utf-8")
    total = sum(c for c, _ in counts.values())
    errors = sum(e for _, e in counts.values())
    for group, (c, e) in counts.items():
        print(f"{group:28} {c:4} cases {e:4} errors")
    print(f"{'total':28} {total:4} cases {errors:4} errors -> {FIXTURE.relative_to(HERE.parents[2])}")


if __name__ == "__main__":
    main()
