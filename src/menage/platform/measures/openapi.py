"""The OpenAPI 3.1 document of the measures API, written here; the body's schema comes
from :class:`~menage.platform.measures.intake.SubmissionIn` so the two cannot drift."""

from __future__ import annotations

from functools import cache
from typing import Any

from menage.platform.measures.intake import MAX_BODY, SubmissionIn


def _error(description: str, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    properties: dict[str, Any] = {"error": {"type": "string"}, "message": {"type": "string"}}
    properties.update(extra or {})
    return {
        "description": description,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["error", "message"],
                    "properties": properties,
                }
            }
        },
    }


@cache
def schema() -> dict[str, Any]:
    body = SubmissionIn.model_json_schema(ref_template="#/components/schemas/{model}")
    definitions = body.pop("$defs", {})
    code = {
        "name": "code",
        "in": "path",
        "required": True,
        "description": "The participation code printed on the campaign's poster.",
        "schema": {"type": "string", "pattern": "^[A-Za-z0-9-]{4,16}$"},
    }
    fields = {"fields": {"type": "object", "additionalProperties": {"type": "array"}}}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Ménage measures",
            "version": "1",
            "description": "Participants report what they cleaned: aggregates only, "
            "never a file name, a path, a mail address or a subject.",
        },
        "paths": {
            "/api/v1/campaigns/{code}": {
                "get": {
                    "operationId": "campaign",
                    "summary": "The campaign a participation code belongs to",
                    "parameters": [code],
                    "responses": {
                        "200": {
                            "description": "The campaign",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Campaign"}
                                }
                            },
                        },
                        "404": _error("No campaign has this code"),
                    },
                }
            },
            "/api/v1/campaigns/{code}/submissions": {
                "post": {
                    "operationId": "submit",
                    "summary": "Send (or correct, with the same key) what one participant cleaned",
                    "parameters": [code],
                    "requestBody": {
                        "required": True,
                        "description": f"At most {MAX_BODY} bytes.",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/SubmissionIn"}
                            }
                        },
                    },
                    "responses": {
                        "201": {
                            "description": "Stored",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Receipt"}
                                }
                            },
                        },
                        "200": {
                            "description": "Stored, replacing the submission with the same key",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Receipt"}
                                }
                            },
                        },
                        "400": _error("Invalid body; `fields` says which and why", fields),
                        "404": _error("No campaign has this code"),
                        "409": _error("The campaign does not take submissions"),
                        "413": _error("Body too large"),
                        "429": _error("Too many submissions with this code"),
                    },
                }
            },
        },
        "components": {
            "schemas": {
                **definitions,
                "SubmissionIn": body,
                "Receipt": {
                    "type": "object",
                    "required": ["id", "status"],
                    "additionalProperties": False,
                    "properties": {
                        "id": {"type": "integer"},
                        "status": {"enum": ["accepted", "pending_review"]},
                    },
                },
                "Campaign": {
                    "type": "object",
                    "required": [
                        "code",
                        "campaign",
                        "organisation",
                        "campaign_organisation",
                        "open",
                        "starts_on",
                        "ends_on",
                    ],
                    "properties": {
                        "code": {"type": "string"},
                        "campaign": {"type": "string"},
                        "organisation": {"type": "string"},
                        "campaign_organisation": {"type": "string"},
                        "open": {"type": "boolean"},
                        "starts_on": {"type": "string", "format": "date"},
                        "ends_on": {"type": "string", "format": "date"},
                    },
                },
            }
        },
    }
