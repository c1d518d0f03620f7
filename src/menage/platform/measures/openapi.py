"""The OpenAPI 3.1 document of the measures API, written here; the body's schema comes
from :class:`~menage.platform.measures.intake.SubmissionIn` so the two cannot drift."""

from __future__ import annotations

from functools import cache
from typing import Any

from menage.platform.measures.aggregates import SUMMED
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


def _json(description: str, name: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}},
    }


def _slug(description: str) -> dict[str, Any]:
    return {
        "name": "slug",
        "in": "path",
        "required": True,
        "description": description,
        "schema": {"type": "string", "pattern": "^[-a-zA-Z0-9_]{1,80}$"},
    }


def _object(properties: dict[str, Any], optional: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        "type": "object",
        "required": [name for name in properties if name not in optional],
        "additionalProperties": False,
        "properties": properties,
    }


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


COUNT = {"type": "integer", "minimum": 0}
TEXT = {"type": "string"}
RANGE = _object({"low": {"type": "number"}, "central": {"type": "number"},
                 "high": {"type": "number"}})  # fmt: skip
SHOWN = {"shown": {"type": "boolean"}, "figures": {"anyOf": [_ref("Figures"), {"type": "null"}]}}
DASHBOARD_SCHEMAS: dict[str, Any] = {
    "Figures": _object({
        "participants": COUNT, **{name: COUNT for name in SUMMED},
        "by_channel": {"type": "object", "additionalProperties": COUNT},
        "days": {"type": "array", "items": _object({
            "date": {"type": "string", "format": "date"}, "participants": COUNT,
            "moved_bytes": COUNT, "cumulative_moved_bytes": COUNT})},
        "impact": _object({
            "region": TEXT, "period_years": {"type": "number"},
            "avoided_kgco2e": RANGE, "avoided_kwh": RANGE,
            "lines": {"type": "array", "items": _object({
                "activity": TEXT, "quantity": {"type": "number"}, "unit": TEXT,
                "kgco2e": RANGE, "sources": {"type": "array", "items": TEXT}})},
            "method": {"type": "array", "items": _object({"key": TEXT, "text": TEXT})},
        }),
    }),
    "Group": _object({"organisation": TEXT, "slug": TEXT, **SHOWN}),
    "Review": _object({
        "statuses": {"type": "object", "additionalProperties": COUNT},
        "codes": {"type": "array", "items": _object({
            "code": TEXT, "label": TEXT, "campaign": TEXT, "reports": COUNT})},
    }),
    "CampaignDashboard": _object({
        "version": {"const": 1},
        "campaign": _object({"slug": TEXT, "name": TEXT, "organisation": TEXT,
                             "starts_on": {"type": "string", "format": "date"},
                             "ends_on": {"type": "string", "format": "date"}}),
        "minimum_group": COUNT, **SHOWN,
        "groups": {"type": "array", "items": _ref("Group")},
        "review": _ref("Review"),
    }, optional=("review",)),
    "OrganisationDashboard": _object({
        "version": {"const": 1},
        "organisation": _object({"slug": TEXT, "name": TEXT, "kind": TEXT}),
        "minimum_group": COUNT, **SHOWN,
        "groups": {"type": "array", "items": _ref("Group")},
        "campaigns": {"type": "array", "items": _object({"slug": TEXT, **SHOWN})},
        "review": _ref("Review"),
    }, optional=("review",)),
}  # fmt: skip


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
            "/api/v1/dashboards/campaigns/{slug}": {
                "get": {
                    "operationId": "campaign_dashboard",
                    "summary": "A campaign's figures: totals, days, impact, per organisation",
                    "description": "Public for a public campaign; its organisers also get "
                    "`review` (reports by status and by code). No figure for a group under "
                    "`minimum_group` participations.",
                    "parameters": [_slug("The campaign's short name.")],
                    "responses": {
                        "200": _json("The dashboard", "CampaignDashboard"),
                        "404": _error("No campaign the reader may see has this short name"),
                    },
                }
            },
            "/api/v1/dashboards/organisations/{slug}": {
                "get": {
                    "operationId": "organisation_dashboard",
                    "summary": "An organisation's figures, with those below it rolled up",
                    "description": "Over the campaigns the reader may see; its organisers "
                    "also get `review`.",
                    "parameters": [_slug("The organisation's short name.")],
                    "responses": {
                        "200": _json("The dashboard", "OrganisationDashboard"),
                        "404": _error("No organisation has this short name"),
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
                **DASHBOARD_SCHEMAS,
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
