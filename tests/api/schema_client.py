"""A client built only from /api/v1/openapi.json: operations are found by operationId, URLs from the schema's
paths and parameters, request bodies checked against the schema's properties, and each answer validated against
the schema the operation declares for its status. No URL is written in the tests that use it."""

import json

from django.test import Client
from jsonschema import Draft202012Validator


class SchemaClient:
    def __init__(self, token: str, *, schema_url: str = "/api/v1/openapi.json"):
        self.client, self.token = Client(), token
        self.spec = self.client.get(schema_url).json()
        self.operations = {
            operation["operationId"]: (method, path, operation)
            for path, item in self.spec["paths"].items() for method, operation in item.items()
        }

    def _schema(self, schema: dict) -> dict:
        return {"components": self.spec["components"], **schema}

    def _resolve(self, schema: dict) -> dict:
        while "$ref" in schema:
            schema = self.spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
        return schema

    def call(self, operation_id: str, *, path: dict | None = None, query: dict | None = None,
             body: dict | None = None, headers: dict | None = None):
        method, url, operation = self.operations[operation_id]
        parameters = {p["name"]: p for p in operation.get("parameters", [])}
        for name, value in (path or {}).items():
            assert parameters[name]["in"] == "path", name
            url = url.replace("{" + name + "}", str(value))
        assert "{" not in url, f"path parameters missing: {url}"
        for name in query or {}:
            assert parameters[name]["in"] == "query", name
        extra = {"HTTP_AUTHORIZATION": f"Bearer {self.token}"}
        extra.update({"HTTP_" + k.upper().replace("-", "_"): v for k, v in (headers or {}).items()})
        if body is not None:
            declared = self._resolve(operation["requestBody"]["content"]["application/json"]["schema"])
            assert not set(body) - set(declared["properties"]), "fields the schema does not name"
            assert not set(declared.get("required", [])) - set(body), "required fields missing"
            response = getattr(self.client, method)(url, json.dumps(body), content_type="application/json", **extra)
        else:
            response = getattr(self.client, method)(url, query or {}, **extra)
        answer = operation["responses"].get(str(response.status_code))
        assert answer is not None, f"{operation_id} answered {response.status_code}, which its schema does not list"
        content = answer.get("content", {})
        if content:
            schema = next(iter(content.values()))["schema"]
            Draft202012Validator(self._schema(schema)).validate(response.json())
        return response
