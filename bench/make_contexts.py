"""Writes the contexts the template benchmark renders, deterministically (seeded)."""
import json
import random
import sys

rng = random.Random(20261129)
words = ("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho "
         "sigma tau upsilon phi chi psi omega user post comment token session request response").split()


def sentence(n):
    return " ".join(rng.choice(words) for _ in range(n)).capitalize() + "."


site = {
    "name": "Regen API",
    "version": "2.4.1",
    "owner": "platform-team",
    "sections": [{"title": w.title(), "slug": w} for w in words[:8]],
}


def endpoint(i):
    return {
        "method": rng.choice(["get", "post", "put", "delete"]),
        "path": f"/v2/{rng.choice(words)}/{{id}}/{rng.choice(words)}",
        "since": f"2.{i % 5}",
        "status": rng.choice(["stable", "beta"]),
        "deprecated": i % 7 == 0,
        "summary": " ".join(sentence(12) for _ in range(4)),
        "params": [{"name": f"{rng.choice(words)}_{j}", "type": rng.choice(["string", "int", "bool"]),
                    "required": j % 3 == 0, "description": "  " + sentence(16) + "  "} for j in range(10)],
        "responses": {str(code): {"description": sentence(4),
                                  "fields": {f"{rng.choice(words)}{k}": {"type": rng.choice(["str", "int"]),
                                                                         "nullable": k % 2 == 0,
                                                                         "doc": sentence(6)} for k in range(5)}
                                  if code < 300 else {}}
                      for code in (200, 201, 404, 500)},
        "examples": [{"request": f"GET /v2/{rng.choice(words)}?page={k}", "count": rng.randint(1, 500),
                      "ms": rng.random() * 90} for k in range(5)],
        "tags": [rng.choice(words).upper() for _ in range(8)],
    }


def report(team):
    return {"team": team, "month": "October", "year": 2025,
            "rows": [{"item": sentence(3)[:-1].lower(), "owner": rng.choice(["ana", "bo", "chen", "dee"]),
                      "amount": round(rng.random() * 10000, 2), "status": rng.choice(["open", "done", "review"])}
                     for _ in range(60)]}


def chapter(depth):
    return {"title": {"en": sentence(3), "es": sentence(3)},
            "body": {"en": "\n".join(sentence(10) for _ in range(3)), "fr": sentence(10)},
            "children": [chapter(depth + 1) for _ in range(3)] if depth < 2 else []}


cases = []
for i in range(4):
    cases.append({"template": "api-endpoint.md.jinja", "context": {"site": site, "endpoint": endpoint(i)}})
for team in ("Engineering", "Sales"):
    cases.append({"template": "report.md.jinja", "context": report(team)})
for language in ("en", "es"):
    cases.append({"template": "guide.md.jinja", "context": {
        "language": language,
        "strings": {"en": {"title": "User guide", "intro": sentence(40), "footer": "{n} chapters."},
                    "es": {"title": "Guía", "intro": sentence(40), "footer": "{n} capítulos."}},
        "chapters": [chapter(0) for _ in range(4)]}})

json.dump(cases, sys.stdout, indent=1)
