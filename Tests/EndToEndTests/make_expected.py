#!/usr/bin/env python3
"""Renders the example project at the top of the repository with the real Jinja2 (3.1.6) and
PyYAML (6.0.3), the way DESIGN.md and docs/configuration.md say Regen does, and writes the
outputs under Tests/EndToEndTests/Expected/. The end-to-end test compares `regen build` with
them, so Regen's outputs are checked against Jinja2 itself, not against our own engine.

    python3 Tests/EndToEndTests/make_expected.py
"""
import json
import os
import re
import shutil
import sys

import jinja2
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
EXPECTED = os.path.join(HERE, "Expected")


def load(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if path.endswith(".json"):
        return json.loads(text)
    if path.endswith((".yaml", ".yml")):
        return yaml.safe_load(text)
    return text


def resolve(value):
    """Replaces {"source": "file", "path": P} values (at any depth) with the parsed file."""
    if isinstance(value, dict):
        if value.get("source") == "file":
            return load(os.path.join(ROOT, value["path"]))
        return {k: resolve(v) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v) for v in value]
    return value


def merge(base, overlay):
    """Mappings merge key by key, recursively; anything else replaces."""
    if isinstance(base, dict) and isinstance(overlay, dict):
        merged = dict(base)
        for key, value in overlay.items():
            merged[key] = merge(merged[key], value) if key in merged else value
        return merged
    return overlay


def lookup(context, dotted):
    value = context
    for step in dotted.split("."):
        if isinstance(value, dict) and step in value:
            value = value[step]
        else:
            return None
    return value


PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][\w-]*(?:\.[\w-]+)*)\s*\}\}")


def fill(text, resolver):
    def replace(match):
        found = resolver(match.group(1))
        return match.group(0) if found is None else found
    return PLACEHOLDER.sub(replace, text)


def py_str(value):
    return str(value)


def demonstration(config, context):
    elements = [(e.get("name"), fill(e.get("example_output") or "", lambda n: None if lookup(context, n) is None else py_str(lookup(context, n))))
                for e in config.get("elements", [])]
    pattern = config["generation"]["patterns"][0]
    template = pattern.get("template")
    if template is None:
        return "\n\n".join(text for _, text in elements)
    values = {}
    for variable in pattern.get("variables", []):
        _, ident, _ = variable["source"].split(".")
        named = dict(elements)
        values[variable["name"]] = named[ident] if ident in named else elements[int(ident)][1]

    def resolver(name):
        if name in values:
            return values[name]
        for element_name, text in elements:
            if element_name == name:
                return text
        found = lookup(context, name)
        return None if found is None else py_str(found)
    return fill(template, resolver).replace("\\n", "\n").replace("\\t", "\t")


def main():
    settings = load(os.path.join(ROOT, "watch.yaml")) or {}
    options = settings.get("jinja", {})
    suffixes = tuple(settings.get("autoescape", [".html", ".xml"]))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(os.path.join(ROOT, settings.get("templates", "templates"))),
        undefined=jinja2.StrictUndefined if settings.get("undefined", "strict") == "strict" else jinja2.Undefined,
        keep_trailing_newline=options.get("keep_trailing_newline", True),
        trim_blocks=options.get("trim_blocks", False),
        lstrip_blocks=options.get("lstrip_blocks", False),
        autoescape=lambda name: name is not None and name.endswith(suffixes),
    )
    configs_root = os.path.join(ROOT, settings.get("configs", "configs"))
    if os.path.isdir(EXPECTED):
        shutil.rmtree(EXPECTED)
    written = 0
    for folder, _, files in sorted(os.walk(configs_root)):
        for name in sorted(files):
            if not name.endswith((".json", ".yaml", ".yml")):
                continue
            config = load(os.path.join(folder, name))
            chora = config.get("type") == "content"
            if chora:
                pattern = config["generation"]["patterns"][0]
                generator = pattern["type"]
                template = pattern.get("template")
                context = pattern.get("generation_config", {}).get("context", {})
                fmt = config.get("metadata", {}).get("output_format", "")
                ext = {"markdown": "md"}.get(fmt, fmt or "txt")
                default_output = f"{config['id']}.{ext}"
            else:
                generator = config.get("generator", "jinja2")
                template = config.get("template")
                context = config.get("context", {})
                default_output = None
            targets = []
            if "output" in config or not config.get("variants"):
                targets.append((config.get("output", default_output), {}))
            for variant in config.get("variants", []):
                targets.append((variant["output"], variant.get("context", {})))
            for output, overlay in targets:
                ctx = merge(resolve(context), resolve(overlay))
                for field in config.get("required_context", []):
                    assert lookup(ctx, field) is not None, (name, field)
                if generator == "jinja2":
                    text = env.get_template(template).render(ctx)
                elif generator == "demonstration":
                    text = demonstration(config, ctx)
                else:
                    sys.exit(f"{name}: generator {generator} is not in the example project")
                path = os.path.join(EXPECTED, output)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "w", encoding="utf-8", newline="") as f:
                    f.write(text)
                written += 1
    print(f"wrote {written} expected outputs under {os.path.relpath(EXPECTED, ROOT)}")


if __name__ == "__main__":
    main()
