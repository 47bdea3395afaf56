"""``/docs``: the API reference, rendered on the server from the OpenAPI schema (``/openapi.json``).

FastAPI's own ``/docs`` (Swagger UI) loads its script and styles from a CDN at run time, which this app
does not do (and which its Content-Security-Policy would block). This page shows the same schema as
plain HTML: every operation with its parameters, request body and responses, and every model's fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    where: str
    type: str
    required: bool
    description: str


@dataclass(frozen=True, slots=True)
class Operation:
    method: str
    path: str
    summary: str
    description: str
    tag: str
    params: list[Param]
    bodies: list[tuple[str, str]]  # (content type, schema)
    responses: list[tuple[str, str, str]]  # (status, description, schema)
    anchor: str


@dataclass(frozen=True, slots=True)
class Model:
    name: str
    description: str
    fields: list[Param] = field(default_factory=list)


def type_of(schema: dict[str, Any] | None) -> str:
    """A schema in a few words: ``integer``, ``string (date)``, ``array of StatementOut``, ``A | null``."""
    if not schema:
        return "any"
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return " | ".join(type_of(s) for s in schema[key])
    if "enum" in schema:
        return " | ".join(repr(v) if isinstance(v, str) else str(v) for v in schema["enum"])
    if "const" in schema:
        return repr(schema["const"])
    kind = schema.get("type", "object")
    if kind == "array":
        return f"array of {type_of(schema.get('items'))}"
    if kind == "object" and isinstance(schema.get("additionalProperties"), dict):
        return f"object of {type_of(schema['additionalProperties'])}"
    if "format" in schema:
        return f"{kind} ({schema['format']})"
    return str(kind)


def operations(spec: dict[str, Any]) -> list[Operation]:
    out = []
    for path, item in spec.get("paths", {}).items():
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            params = [
                Param(
                    p["name"],
                    p.get("in", ""),
                    type_of(p.get("schema")),
                    bool(p.get("required")),
                    p.get("description") or p.get("schema", {}).get("description", ""),
                )
                for p in op.get("parameters", [])
            ]
            content = op.get("requestBody", {}).get("content", {})
            bodies = [(kind, type_of(c.get("schema"))) for kind, c in content.items()]
            responses = []
            for status, r in op.get("responses", {}).items():
                schemas = [type_of(c.get("schema")) for c in r.get("content", {}).values()]
                responses.append((str(status), r.get("description", ""), schemas[0] if schemas else ""))
            out.append(
                Operation(
                    method=method.upper(),
                    path=path,
                    summary=op.get("summary", ""),
                    description=op.get("description", ""),
                    tag=(op.get("tags") or ["other"])[0],
                    params=params,
                    bodies=bodies,
                    responses=responses,
                    anchor=op.get("operationId", f"{method}-{path}"),
                )
            )
    return out


def models(spec: dict[str, Any]) -> list[Model]:
    out = []
    for name, schema in sorted(spec.get("components", {}).get("schemas", {}).items()):
        required = set(schema.get("required", []))
        fields = [
            Param(key, "", type_of(prop), key in required, prop.get("description", ""))
            for key, prop in schema.get("properties", {}).items()
        ]
        out.append(Model(name, schema.get("description", ""), fields))
    return out
